import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, freePort, get, postForm, runCli, startServer, tempDir } from '../support/process.js';
import { runSeedCurl } from './seed-curl.js';
import { SEED_BASIC } from '../support/oauth.js';

/** Real processes on a shared machine: each PGlite start is seconds, a fresh folder's initdb more. */
const SLOW = 300_000;

// One process at a time on an embedded data folder (src/core/db/data-dir-lock.ts), seen from outside.
// These are about the embedded store, so they run on PGlite whatever TEST_DATABASE_URL says.

const SEED_LOGIN = { username: '9167019711', password: 'Test@1234567', grant_type: 'password', clientId: 'CEK1GZBO6A' };

afterAll(cleanup, SLOW);

describe('the data folder lock', { timeout: SLOW }, () => {
  it('refuses a second process while the first serves, and is taken over after the first is killed', async () => {
    const dataDir = tempDir();
    const lockFile = path.join(dataDir, 'tijori.lock');
    const first = await startServer({ dataDir });
    const issued = await runSeedCurl(first.url);
    expect(issued.status).toBe(200);
    const accessToken = (issued.body as { access_token: string }).access_token;
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid });

    // A second server on the same folder stops at once with a clear message.
    const second = await runCli(['start', '--data-dir', dataDir, '--port', String(await freePort())]);
    expect(second.code, second.stderr).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.stderr).toContain('in use by another Tijori process');
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect(second.stdout).not.toContain('is listening');

    // So does a migrate, which opens the folder; an admin command runs through the server instead (ADR 0040).
    const refused = await runCli(['migrate', '--data-dir', dataDir]);
    expect(refused.code, refused.stderr).not.toBe(0);
    expect(refused.stderr).toContain('in use by another Tijori process');
    const unlock = await runCli(['user', 'unlock', '--username', '9167019711', '--data-dir', dataDir]);
    expect([unlock.code, unlock.stdout], unlock.stderr).toEqual([0, 'Unlocked 9167019711\n']);

    // The first keeps serving, its lock untouched.
    const health = await get(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'UP' });
    const token = await postForm(`${first.url}/oauth/token`, SEED_LOGIN, SEED_BASIC);
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid });

    // Killed without a chance to clean up: the lock file stays behind, naming a dead process.
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid });

    // A new start takes the stale lock over, and the data (tokens are stored) is still there.
    const third = await startServer({ dataDir });
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: third.child.pid });
    const me = await get(`${third.url}/api/v0/me`, { authorization: `Bearer ${accessToken}` });
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { companyId: 'CEK1GZBO6A', clientId: 'CEK1GZBO6A', username: '9167019711' },
    });
    const refreshed = await postForm(`${third.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token }, SEED_BASIC);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);

    // A clean stop releases the folder.
    expect(await third.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(lockFile)).toBe(false);
    const migrate = await runCli(['migrate', '--data-dir', dataDir]);
    expect(migrate.code, migrate.stderr).toBe(0);
  });

  it('a start that cannot listen (the port is taken) exits 1 with the reason and leaves the folder unlocked', async () => {
    const first = await startServer({ dataDir: tempDir() });
    const dataDir = tempDir();
    const second = await runCli(['start', '--data-dir', dataDir, '--port', String(first.port)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `tijori: port ${first.port} on 127.0.0.1 is in use (another Tijori, or another server); stop it, or choose another port with --port or PORT\n`,
    );
    // Said before the folder is opened: no lock, no database.
    expect(fs.existsSync(path.join(dataDir, 'tijori.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    await first.stop();
  });
});
