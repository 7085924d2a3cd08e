import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, createPostgresDatabase, get, postForm, runCli, startServer, tempDir, type CliResult } from '../support/process.js';
import { runInProcess, startInProcess, type InProcessServer } from '../support/cli.js';
import { SEED_BASIC, basic } from '../support/oauth.js';

/** A shared machine: a PGlite start is a second or more, a spawned one (the smoke tests) more. */
const SLOW = 300_000;

// The `tijori` admin commands and settings, run in this process through `run(argv, io)` of
// src/main.ts (the same code bin/tijori.js runs), with real HTTP to the servers they start; the
// smoke tests at the end spawn the real bin/tijori.js.

afterAll(cleanup, SLOW);

const USERNAME = '9876543210';
const PASSWORD = 'Secret@123';

function ok(result: CliResult): CliResult {
  expect(result.code, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  return result;
}

/** What the admin commands create: a company, its client (secret printed once) and a user. */
async function createAcme(admin: (args: string[]) => Promise<CliResult>) {
  const company = ok(await admin(['company', 'create', '--name', 'Acme']));
  const companyId = /^Created company (CEK[A-Z0-9]{7}) \(Acme\) in sandbox mode$/m.exec(company.stdout)?.[1];
  expect(companyId, company.stdout).toBeDefined();

  const client = ok(await admin(['client', 'create', '--company', companyId!, '--grants', 'password,refresh_token']));
  const secret = /client secret ([0-9a-f]{40})$/m.exec(client.stdout)?.[1];
  expect(secret, client.stdout).toBeDefined();
  expect(client.stdout.split(secret!).length - 1).toBe(1);
  expect(client.stdout).toMatch(/grants +password, refresh_token$/m);
  expect(client.stdout).toContain('cannot be shown again');

  const user = ok(await admin(['user', 'create', '--company', companyId!, '--username', USERNAME, '--password', PASSWORD]));
  expect(user.stdout).toContain(`Created user ${USERNAME} in company ${companyId}`);
  expect(user.stdout).not.toContain('Password (shown once)');
  return { companyId: companyId!, secret: secret! };
}

// The embedded database's pass only (CI's PostgreSQL pass runs the PostgreSQL blocks of this file).
if (!process.env['TEST_DATABASE_URL']) {
  describe('admin commands on the embedded database', { timeout: SLOW }, () => {
    const dataDir = tempDir();
    const admin = (args: string[]) => runInProcess([...args, '--data-dir', dataDir]);
    let acme: { companyId: string; secret: string };
    let server: InProcessServer | undefined;

    const login = (password = PASSWORD) =>
      postForm(
        `${server!.url}/oauth/token`,
        { username: USERNAME, password, grant_type: 'password', clientId: acme.companyId },
        basic(acme.companyId, acme.secret),
      );
    // The commands opening the folder themselves, with the server stopped; beside a running server
    // they run through it (test/e2e/cli-first-hour.test.ts, ADR 0040).
    const down = async () => {
      if (server) expect(await server.stop()).toBe(0);
      server = undefined;
    };
    const up = async () => {
      server = await startInProcess({ dataDir });
    };

    it('tijori migrate on a fresh folder exits 0', async () => {
      const migrate = ok(await admin(['migrate']));
      expect(migrate.stdout).toContain(`Migrations applied (${dataDir})`);
    });

    it('creates a company, its client and a user; the password grant works with them', async () => {
      acme = await createAcme(admin);
      await up();
      const token = await login();
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      expect(token.body).toMatchObject({ token_type: 'bearer', scope: 'read write trust' });
      expect(token.body.refresh_token).toEqual(expect.any(String));
      const me = await get(`${server!.url}/api/v0/me`, { authorization: `Bearer ${token.body.access_token}` });
      expect(me.status).toBe(200);
      expect(me.body.payload).toMatchObject({ companyId: acme.companyId, clientId: acme.companyId, username: USERNAME });
    });

    it('user disable refuses the logins ("User is disabled"); user enable lets them in again', async () => {
      await down();
      expect(ok(await admin(['user', 'disable', '--username', USERNAME])).stdout).toContain(`Disabled ${USERNAME}`);
      await up();
      const refused = await login();
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: 'invalid_grant', error_description: 'User is disabled' });

      await down();
      expect(ok(await admin(['user', 'enable', '--username', USERNAME])).stdout).toContain(`Enabled ${USERNAME}`);
      await up();
      expect((await login()).status).toBe(200);
    });

    it('three bad passwords lock the account; user unlock clears the lock', async () => {
      for (let i = 0; i < 3; i++) {
        const bad = await login('Wrong@1234');
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
      }
      const locked = await login();
      expect(locked.status).toBe(400);
      expect(locked.body).toEqual({ error: 'invalid_grant', error_description: 'User account is locked' });

      await down();
      expect(ok(await admin(['user', 'unlock', '--username', USERNAME])).stdout).toContain(`Unlocked ${USERNAME}`);
      await up();
      const token = await login();
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      await down();
    });

    it('merchant-key create prints a key pair once; the token route takes it; list shows it; revoke stops it', async () => {
      await down();
      const created = ok(await admin(['merchant-key', 'create', '--company', acme.companyId]));
      const accessKey = /accessKey +(ak_[A-Z0-9]{20})$/m.exec(created.stdout)?.[1];
      const secretKey = /secretKey +(sk_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
      expect(accessKey, created.stdout).toBeDefined();
      expect(secretKey, created.stdout).toBeDefined();
      expect(ok(await admin(['merchant-key', 'list', '--company', acme.companyId])).stdout).toMatch(new RegExp(`^${accessKey}  ACTIVE  created `, 'm'));
      const issue = async () =>
        fetch(`${server!.url}/api/v0/merchant/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ accessKey, secretKey }),
        });
      await up();
      expect((await issue()).status).toBe(200);
      await down();
      expect(ok(await admin(['merchant-key', 'revoke', '--access-key', accessKey!])).stdout).toContain(`Revoked ${accessKey} of company ${acme.companyId}`);
      await up();
      const refused = await issue();
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ token: null, resultCode: 401 });
      await down();
      const unknown = await admin(['merchant-key', 'revoke', '--access-key', 'ak_UNKNOWN']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No active access key ak_UNKNOWN');
      const missing = await admin(['merchant-key', 'create']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--company is required');
    });

    it('refuses bad admin input with a message and a non-zero exit', async () => {
      const grants = await admin(['client', 'create', '--company', acme.companyId, '--grants', 'implicit']);
      expect(grants.code).toBe(2);
      expect(grants.stderr).toContain('--grants');
      const missing = await admin(['company', 'create']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--name is required');
      const unknownUser = await admin(['user', 'unlock', '--username', '9000000001']);
      expect(unknownUser.code).toBe(1);
      expect(unknownUser.stderr).toContain('9000000001');
      const taken = await admin(['user', 'create', '--company', acme.companyId, '--username', USERNAME, '--password', PASSWORD]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain('already registered');
    });

    it('settlement run answers for a company with nothing due and refuses a bad date, a later date and an unknown company', async () => {
      await down();
      const nothing = ok(await admin(['settlement', 'run', '--company', acme.companyId]));
      expect(nothing.stdout).toMatch(new RegExp(`^Settlement batch \\d{4}-\\d{2}-\\d{2} of ${acme.companyId}: nothing was due$`, 'm'));
      const badDate = await admin(['settlement', 'run', '--company', acme.companyId, '--date', '2026-02-30']);
      expect([badDate.code, badDate.stderr]).toEqual([2, 'tijori: --date must be a date YYYY-MM-DD (got "2026-02-30")\n']);
      const later = await admin(['settlement', 'run', '--company', acme.companyId, '--date', '2999-01-01']);
      expect(later.code).toBe(2);
      expect(later.stderr).toContain("--date 2999-01-01 is after the company's date today");
      const unknown = await admin(['settlement', 'run', '--company', 'CEKNOSUCH01']);
      expect([unknown.code, unknown.stderr]).toEqual([2, 'tijori: no company CEKNOSUCH01\n']);
    });
  });
}

// The embedded database's pass only (CI's PostgreSQL pass runs the PostgreSQL blocks of this file).
if (!process.env['TEST_DATABASE_URL']) {
  describe('settings and commands that are wrong', { timeout: SLOW }, () => {
    const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; message: RegExp }> = [
      { name: 'PORT=abc', args: ['start'], env: { PORT: 'abc' }, message: /PORT/ },
      { name: '--port 70000', args: ['start', '--port', '70000'], message: /^tijori: --port must be/ },
      { name: 'LOG_LEVEL=loud', args: ['start'], env: { LOG_LEVEL: 'loud' }, message: /LOG_LEVEL/ },
      { name: 'DATABASE_URL=mysql://x', args: ['start'], env: { DATABASE_URL: 'mysql://x' }, message: /DATABASE_URL/ },
      { name: 'TIJORI_SEED=maybe', args: ['start'], env: { TIJORI_SEED: 'maybe' }, message: /TIJORI_SEED/ },
      { name: 'an unknown flag', args: ['start', '--frobnicate'], message: /frobnicate/ },
      { name: 'an unknown command', args: ['frobnicate'], message: /unknown command "frobnicate"/ },
      { name: 'an unknown subcommand', args: ['user', 'frobnicate', '--username', USERNAME], message: /unknown command "user frobnicate"/ },
    ];

    it.each(cases)('$name exits 2 with a message naming it', async ({ args, env, message }) => {
      const dataDir = tempDir();
      const result = await runInProcess([...args, '--data-dir', dataDir], { env: env ?? {} });
      expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).not.toContain('is listening');
    });

    it('with no command it prints the usage', async () => {
      const result = await runInProcess([]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain('Usage: tijori <command>');
    });

    it('--help prints the usage and exits 0', async () => {
      const result = await runInProcess(['--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: tijori <command>');
      expect(result.stdout).toContain('TIJORI_DATA_DIR');
    });
  });
}

// PostgreSQL is tested when TEST_DATABASE_URL names a server (CI's second run).
const adminUrl = process.env['TEST_DATABASE_URL'];
if (adminUrl) {
  describe('admin commands on PostgreSQL, beside a running server', { timeout: SLOW }, () => {
    let database: { url: string; drop(): Promise<void> };
    let server: InProcessServer;
    let acme: { companyId: string; secret: string };
    const admin = (args: string[]) => runInProcess(args, { env: { DATABASE_URL: database.url } });
    const login = (password = PASSWORD) =>
      postForm(
        `${server.url}/oauth/token`,
        { username: USERNAME, password, grant_type: 'password', clientId: acme.companyId },
        basic(acme.companyId, acme.secret),
      );

    beforeAll(async () => {
      database = await createPostgresDatabase();
      ok(await admin(['migrate']));
      server = await startInProcess({ env: { DATABASE_URL: database.url } });
    }, SLOW);
    afterAll(async () => {
      expect(await server?.stop()).toBe(0);
      await cleanup();
      await database?.drop();
    }, SLOW);

    it('does not seed the sandbox company by default', async () => {
      const token = await postForm(
        `${server.url}/oauth/token`,
        { username: '9167019711', password: 'Test@1234567', grant_type: 'password', clientId: 'CEK1GZBO6A' },
        SEED_BASIC,
      );
      expect(token.status).toBe(401);
      expect(server.stdout).not.toContain('Sandbox company');
    });

    it('creates, disables, enables and unlocks while the server runs', async () => {
      acme = await createAcme(admin);
      expect((await login()).status).toBe(200);

      ok(await admin(['user', 'disable', '--username', USERNAME]));
      expect((await login()).body).toEqual({ error: 'invalid_grant', error_description: 'User is disabled' });
      ok(await admin(['user', 'enable', '--username', USERNAME]));
      expect((await login()).status).toBe(200);

      for (let i = 0; i < 3; i++) expect((await login('Wrong@1234')).body.error_description).toBe('Bad credentials');
      expect((await login()).body).toEqual({ error: 'invalid_grant', error_description: 'User account is locked' });
      ok(await admin(['user', 'unlock', '--username', USERNAME]));
      expect((await login()).status).toBe(200);
    });
  });
}

// The real bin/tijori.js in a child process: what a user types.
// The embedded database's pass only (CI's PostgreSQL pass runs the PostgreSQL blocks of this file).
if (!process.env['TEST_DATABASE_URL']) {
  describe('the spawned command (smoke)', { timeout: SLOW }, () => {
    it('tijori --help prints the usage and exits 0', async () => {
      const result = await runCli(['--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: tijori <command>');
      expect(result.stdout).toContain('TIJORI_DATA_DIR');
    });

    it('tijori start on a new folder says each phase on stderr, then answers /health; SIGTERM exits 0', async () => {
      const server = await startServer({ dataDir: tempDir() });
      const health = await get(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(server.stderr).toMatch(/^tijori: (created the embedded database from the migrated template; opening it|creating the embedded database) in /m);
      expect(server.stderr).toMatch(/^tijori: applying migrations…\ntijori: building the app…\ntijori: seeding the sandbox company…\n/m);
      expect(server.stderr).toMatch(/^tijori: listening \(started in \d+\.\d s\)$/m);
      expect(server.stdout).toMatch(/^Tijori \S+ is listening$/m);
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    });
  });
}
