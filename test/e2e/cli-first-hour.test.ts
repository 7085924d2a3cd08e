import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../../src/cli/options.js';
import { SETTINGS } from '../../src/config.js';
import { runInProcess, startInProcess, type InProcessServer } from '../support/cli.js';
import { cleanup, get, postForm, runCli, startServer, tempDir, type CliResult } from '../support/process.js';
import { SEED_BASIC } from '../support/oauth.js';

// What a new user meets at the `tijori` command (issue 16, item 12): the help's columns, a command
// group alone, typos, a bad --port, a busy port or unknown host before any database work, and the
// admin commands beside a server running on the embedded database (ADR 0040).

const SLOW = 300_000;
afterAll(cleanup, SLOW);

function ok(result: CliResult): CliResult {
  expect(result.code, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  return result;
}

describe('the help and the mistakes a user makes', { timeout: SLOW }, () => {
  it('--help puts every description and every variable in its own column', async () => {
    const { stdout } = ok(await runInProcess(['--help']));
    const lines = stdout.split('\n');
    const descriptionColumns = COMMAND_HELP.map(({ description }) => {
      const line = lines.find((l) => l.endsWith(description));
      expect(line, description).toBeDefined();
      return line!.length - description.length;
    });
    expect(new Set(descriptionColumns).size, 'descriptions of commands start at one column').toBe(1);
    const envColumns = SETTINGS.map((s) => {
      const line = lines.find((l) => l.startsWith(`  ${s.flag} `));
      expect(line, s.flag).toBeDefined();
      expect(line).toMatch(new RegExp(`^  ${s.flag.replace(/[/-]/g, '\\$&')} {2,}${s.env} {2,}\\S`));
      return line!.indexOf(` ${s.env} `);
    });
    expect(new Set(envColumns).size, 'variables start at one column').toBe(1);
  });

  it('a command group alone lists its subcommands', async () => {
    const result = await runInProcess(['company']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tijori company needs a subcommand: create, set-mode, disable, enable\n/);
    expect(result.stderr).toContain('  company create --name N');
    expect(result.stderr).toContain('  company set-mode --company ID');
    expect(result.stderr).not.toContain('unknown command');
    expect(result.stderr).not.toContain('user create');
  });

  it.each([
    { args: ['start', '--prot', '9090'], says: 'tijori: unknown option --prot; did you mean --port? (tijori --help lists the options)\n' },
    { args: ['user', 'create', '--usrname', 'x'], says: 'tijori: unknown option --usrname; did you mean --username? (tijori --help lists the options)\n' },
    { args: ['start', '--port'], says: 'tijori: --port needs a value (--port VALUE)\n' },
    { args: ['start', '--no-seed=yes'], says: 'tijori: --no-seed takes no value\n' },
  ])('$args: one line in the command’s words, with the nearest option', async ({ args, says }) => {
    const result = await runInProcess(args);
    expect([result.code, result.stderr]).toEqual([2, says]);
  });

  it('a mistyped command or subcommand gets the nearest one', async () => {
    const command = await runInProcess(['compnay', 'create', '--name', 'Acme']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^tijori: unknown command "compnay"; did you mean "company"\?\n/);
    const sub = await runInProcess(['user', 'unlok', '--username', '9167019711']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/^tijori: unknown command "user unlok"; did you mean "user unlock"\?\n/);
    const far = await runInProcess(['frobnicate']);
    expect(far.stderr).toMatch(/^tijori: unknown command "frobnicate"\nCommands: start, worker, migrate, company/);
  });

  it('a bad port is named as it was given: --port as a flag, PORT from the environment', async () => {
    const flag = await runInProcess(['start', '--port', '70000']);
    expect([flag.code, flag.stderr]).toEqual([2, 'tijori: --port must be a whole number from 0 to 65535 (got "70000")\n']);
    const variable = await runInProcess(['start'], { env: { PORT: '70000' } });
    expect([variable.code, variable.stderr]).toEqual([2, 'tijori: PORT must be a whole number from 0 to 65535 (got "70000")\n']);
  });

  it('a busy port or an unknown host stops the start in one line, before the database is created', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const dataDir = path.join(tempDir(), 'data');
      const busy = await runInProcess(['start', '--port', String(port), '--data-dir', dataDir]);
      expect([busy.code, busy.stderr]).toEqual([
        1,
        `tijori: port ${port} on 127.0.0.1 is in use (another Tijori, or another server); stop it, or choose another port with --port or PORT\n`,
      ]);
      expect(fs.existsSync(dataDir), 'no data folder: nothing was opened or migrated').toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    const dataDir = path.join(tempDir(), 'data');
    const unknown = await runInProcess(['start', '--host', 'no-such-host.invalid', '--port', '0', '--data-dir', dataDir]);
    // Port 0 is never busy, but the host is resolved by the real listen: after the folder is opened, still one line.
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n').filter((l) => !l.startsWith('tijori: ') && l !== '')).toEqual([]);
    expect(unknown.stderr).toContain('tijori: cannot listen on "no-such-host.invalid": no such host; set --host or HOST');
    const probed = path.join(tempDir(), 'data');
    const named = await runInProcess(['start', '--host', 'no-such-host.invalid', '--port', '8089', '--data-dir', probed]);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/^tijori: cannot listen on "no-such-host.invalid": no such host/);
    expect(fs.existsSync(probed), 'no data folder: nothing was opened or migrated').toBe(false);
  });
});

describe('admin commands beside a server running on the embedded database (ADR 0040)', { timeout: SLOW }, () => {
  const dataDir = tempDir();
  let server: InProcessServer | undefined;
  const admin = (args: string[]) => runInProcess([...args, '--data-dir', dataDir]);
  const login = (password = 'Test@1234567') =>
    postForm(`${server!.url}/oauth/token`, { username: '9167019711', password, grant_type: 'password', clientId: 'CEK1GZBO6A' }, SEED_BASIC);

  afterAll(async () => {
    if (server) await server.stop();
  }, SLOW);

  it('user disable, enable and unlock, merchant keys, ledger verify and a settlement run work while the server holds the folder', async () => {
    server = await startInProcess({ dataDir });
    const channel = path.join(dataDir, 'admin.json');
    expect(fs.statSync(channel).mode & 0o777, 'the token file is its owner’s alone').toBe(0o600);

    expect(ok(await admin(['user', 'disable', '--username', '9167019711'])).stdout).toBe('Disabled 9167019711\n');
    expect((await login()).body).toEqual({ error: 'invalid_grant', error_description: 'User is disabled' });
    ok(await admin(['user', 'enable', '--username', '9167019711']));
    for (let i = 0; i < 3; i++) expect((await login('Wrong@1234')).body.error_description).toBe('Bad credentials');
    expect((await login()).body.error_description).toBe('User account is locked');
    ok(await admin(['user', 'unlock', '--username', '9167019711']));
    expect((await login()).status).toBe(200);

    const created = ok(await admin(['merchant-key', 'create', '--company', 'CEK1GZBO6A']));
    const accessKey = /accessKey +(ak_\w+)$/m.exec(created.stdout)?.[1];
    const secretKey = /secretKey +(sk_[\w-]+)$/m.exec(created.stdout)?.[1];
    const issue = () =>
      fetch(`${server!.url}/api/v0/merchant/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessKey, secretKey }),
      });
    expect((await issue()).status).toBe(200);
    expect(ok(await admin(['merchant-key', 'list', '--company', 'CEK1GZBO6A'])).stdout).toMatch(new RegExp(`^${accessKey}  ACTIVE  created `, 'm'));
    ok(await admin(['merchant-key', 'revoke', '--access-key', accessKey!]));
    expect((await issue()).status).toBe(401);

    expect(ok(await admin(['ledger', 'verify'])).stdout).toContain('Ledger OK');
    expect(ok(await admin(['settlement', 'run', '--company', 'CEK1GZBO6A'])).stdout).toMatch(/^Settlement batch \d{4}-\d{2}-\d{2} of CEK1GZBO6A: /);
    const refused = await admin(['user', 'unlock', '--username', '9000000001']);
    expect([refused.code, refused.stderr]).toEqual([1, 'tijori: no user 9000000001\n']);
  });

  it('the channel answers only with the token from the folder, and only on 127.0.0.1', async () => {
    const { port, token } = JSON.parse(fs.readFileSync(path.join(dataDir, 'admin.json'), 'utf8')) as { port: number; token: string };
    const send = (authorization: string) =>
      fetch(`http://127.0.0.1:${port}/run`, { method: 'POST', headers: { authorization }, body: JSON.stringify({ argv: ['ledger', 'verify'] }) });
    expect((await send(`Bearer ${'0'.repeat(token.length)}`)).status).toBe(401);
    expect((await send('')).status).toBe(401);
    const right = await send(`Bearer ${token}`);
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ code: 0, stdout: expect.stringContaining('Ledger OK') });
    // A server start or a migration is not an admin command: the channel runs none.
    const start = await fetch(`http://127.0.0.1:${port}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ argv: ['start'] }),
    });
    expect(await start.json()).toMatchObject({ code: 2 });
  });

  it('once the server stops, the file is gone and the commands open the folder themselves', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    expect(fs.existsSync(path.join(dataDir, 'admin.json'))).toBe(false);
    expect(ok(await admin(['ledger', 'verify'])).stdout).toContain('Ledger OK');
  });
});

describe('the spawned command beside a spawned server (smoke)', { timeout: SLOW }, () => {
  it('tijori user unlock and ledger verify in another process while `tijori start` runs on the folder', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, env: { LOG_LEVEL: 'info' } });
    try {
      expect(ok(await runCli(['user', 'unlock', '--username', '9167019711', '--data-dir', dataDir])).stdout).toBe('Unlocked 9167019711\n');
      expect(ok(await runCli(['ledger', 'verify', '--data-dir', dataDir])).stdout).toContain('Ledger OK');
      // The banner says where the test data is and that admin commands work beside the server.
      expect(server.stdout).toMatch(/^ {2}Test data {6}http:\/\/127\.0\.0\.1:\d+\/sandbox\/test-data /m);
      expect(server.stdout).toContain('the admin commands work while this server runs');
      expect((await get(`${server.url}/health`)).status).toBe(200);
      // The health poll above is not in the request log at the default level; an API request is.
      await get(`${server.url}/openapi.json`);
      await server.waitForStdout(/"url":"\/openapi.json"/, 10_000);
      expect(server.stdout).not.toContain('"url":"/health"');
    } finally {
      expect((await server.stop('SIGTERM')).code).toBe(0);
    }
  });
});
