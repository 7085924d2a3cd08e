import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, createPostgresDatabase, get, postForm, startServer, tempDir, type Server } from '../support/process.js';
import { expectSeedCurlWorks } from './seed-curl.js';
import { SEED_BASIC } from '../support/oauth.js';

/** Real processes on a shared machine: each PGlite start is seconds, a fresh folder's initdb more. */
const SLOW = 300_000;

// `tijori start` as a user runs it: a real process, real HTTP, the portal page's curl.

afterAll(cleanup, SLOW);

// The embedded database's pass only (CI's PostgreSQL pass runs the PostgreSQL blocks of this file).
if (!process.env['TEST_DATABASE_URL']) {
  describe('tijori start on the embedded database (PGlite)', { timeout: SLOW }, () => {
    let server: Server;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = tempDir();
      server = await startServer({ dataDir });
    }, SLOW);

    it('answers the seed page curl, verbatim, with a token that works on GET /api/v0/me', async () => {
      await expectSeedCurlWorks(server.url);
    });

    it('prints the API URL, the API reference, the data folder and the sandbox credentials', async () => {
      await server.waitForStdout(/^ {4}password +\S+$/m);
      const lines = server.stdout.split('\n');
      const line = (label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? `(no "${label}" line in)\n${server.stdout}`;
      expect(server.stdout).toMatch(/^Tijori \S+ is listening$/m);
      expect(line('API ')).toMatch(new RegExp(`^ +API +${server.url}$`));
      expect(line('API reference')).toContain(`${server.url}/docs`);
      expect(line('Database')).toContain(`embedded PGlite in ${dataDir}`);
      expect(line('clientId')).toMatch(/^ +clientId +CEK1GZBO6A$/);
      expect(line('client secret')).toMatch(/^ +client secret +64b0ff0332f058b56402b63a9baa60214f2d61d3$/);
      expect(line('username')).toMatch(/^ +username +9167019711$/);
      expect(line('password')).toMatch(/^ +password +Test@1234567$/);

      // The printed addresses are the real ones.
      const docs = await fetch(`${server.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      const openapi = await get(`${server.url}/openapi.json`);
      expect(openapi.status).toBe(200);
      expect(openapi.body.paths).toHaveProperty('/oauth/token');
    });

    it('answers /health and /ready with {"status":"UP"}', async () => {
      const health = await get(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'UP' });
      const ready = await get(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'UP' });
    });

    it('stops on SIGTERM with exit code 0', async () => {
      const exit = await server.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
    });

    it('restarts on the same folder: it opens the database there (none is created) and answers /health', async () => {
      const again = await startServer({ dataDir });
      try {
        expect((await get(`${again.url}/health`)).status).toBe(200);
        expect(again.stderr).toContain(`tijori: opening the embedded database in ${dataDir}…\ntijori: applying migrations…\n`);
        expect(again.stderr).not.toContain('creat');
        expect(again.stderr).toMatch(/^tijori: listening \(started in \d+\.\d s\)$/m);
      } finally {
        expect(await again.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      }
    });
  });
}

// PostgreSQL is tested when TEST_DATABASE_URL names a server (CI's second run).
const adminUrl = process.env['TEST_DATABASE_URL'];
/** Processes sharing one PostgreSQL share SECRETS_KEY: a start refuses secrets it cannot open (ADR 0038). */
const SECRETS_KEY = randomBytes(32).toString('hex');
if (adminUrl) {
  describe('tijori start on PostgreSQL (DATABASE_URL, TIJORI_SEED=true)', { timeout: SLOW }, () => {
    let database: { url: string; drop(): Promise<void> };
    let server: Server;
    beforeAll(async () => {
      database = await createPostgresDatabase();
      server = await startServer({ env: { DATABASE_URL: database.url, TIJORI_SEED: 'true', SECRETS_KEY } });
    }, SLOW);
    afterAll(async () => {
      await cleanup();
      await database?.drop();
    }, SLOW);

    it('migrates a fresh database and answers the seed page curl, verbatim', async () => {
      await expectSeedCurlWorks(server.url);
    });

    it('prints the PostgreSQL location and the sandbox credentials', async () => {
      await server.waitForStdout(/^ {4}password +\S+$/m);
      const location = new URL(database.url);
      expect(server.stdout).toMatch(/^Tijori \S+ is listening$/m);
      expect(server.stdout).toContain(`PostgreSQL postgres://${location.username}@${location.host}${location.pathname}`);
      expect(server.stdout).toMatch(/^ +clientId +CEK1GZBO6A$/m);
      expect(server.stdout).toMatch(/^ +password +Test@1234567$/m);
      const ready = await get(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'UP' });
    });

    it("serves a second process on the same database, which accepts the first one's tokens", async () => {
      const second = await startServer({ env: { DATABASE_URL: database.url, TIJORI_SEED: 'true', SECRETS_KEY } });
      const token = await postForm(
        `${server.url}/oauth/token`,
        { username: '9167019711', password: 'Test@1234567', grant_type: 'password', clientId: 'CEK1GZBO6A' },
        SEED_BASIC,
      );
      expect(token.status).toBe(200);
      const me = await get(`${second.url}/api/v0/me`, { authorization: `Bearer ${token.body.access_token}` });
      expect(me.status).toBe(200);
      expect(me.body.payload).toMatchObject({ companyId: 'CEK1GZBO6A', username: '9167019711' });
      await expectSeedCurlWorks(second.url);
      expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    });
  });
}
