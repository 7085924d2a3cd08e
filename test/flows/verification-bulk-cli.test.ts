import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import { backend, createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { newCompany } from '../support/payouts.js';

/**
 * `tijori verify upload FILE --type pan` (src/cli/verify.ts, ADR 0043): run inside a server (the
 * admin channel's way: the server's services, its workers running the rows) and run on its own
 * (this process opens the database and runs the rows), it shows the job's progress until it ends
 * and writes the result CSV. Bad flags exit 2 with a message.
 */
describe(`tijori verify upload (${backend})`, () => {
  let t: TestApp;
  let companyId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-verify-'));
  const file = path.join(dir, 'vendors.csv');
  const csv = 'pan,name\nAAJPS2345Q,Ravi Kumar Sharma\nNOTAPAN,\nAAAPI5678K,\n';
  const cli = async (argv: string[], io: Parameters<typeof run>[1] = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, ...io });
    return { code, stdout, stderr };
  };
  const expectResult = (out: string) =>
    expect(
      fs
        .readFileSync(out, 'utf8')
        .split('\r\n')
        .map((l) => l.split(',').slice(0, 4).join(',')),
    ).toEqual([
      'row,referenceId,input,status',
      expect.stringMatching(/^1,.+-1,AAJPS2345Q,VALID$/),
      expect.stringMatching(/^2,.+-2,NOTAPAN,FAILED$/),
      expect.stringMatching(/^3,.+-3,AAAPI5678K,INVALID$/),
      '',
    ]);

  beforeAll(async () => {
    fs.writeFileSync(file, csv);
    t = await createTestApp();
    ({ companyId } = await newCompany(t, 'CLI verifier'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('inside a running server: progress until COMPLETED, then the result CSV beside the file', async () => {
    const r = await cli(['verify', 'upload', file, '--type', 'pan', '--company', companyId, '--reference', 'CLI-1'], {
      server: { database: t.database, services: t.services },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VBJ_\w+ {2}QUEUED {2}1\/3 rows done, 1 failed$/);
    expect(lines.at(-2)).toMatch(/^VBJ_\w+ {2}COMPLETED {2}3\/3 rows done, 1 failed$/);
    const out = path.join(dir, 'vendors-result.csv');
    expect(lines.at(-1)).toBe(`Result: ${out} (3 rows, 1 failed)`);
    expectResult(out);
  });

  it('on its own database (no server): runs the rows itself and writes --out', async () => {
    // A database of its own, which this command opens as `tijori` would: PostgreSQL by URL, PGlite by folder.
    const env: Record<string, string> = {};
    let close = async () => undefined as void;
    if (backend === 'postgres') {
      const database = await createTestDatabase();
      env['DATABASE_URL'] = database.url!;
      close = () => database.close();
    } else env['TIJORI_DATA_DIR'] = path.join(dir, 'data');
    try {
      const created = await cli(['company', 'create', '--name', 'Own', '--id', 'CEKVERIFY1'], { env });
      expect(created.code, created.stderr).toBe(0);
      const out = path.join(dir, 'own.csv');
      const r = await cli(['verify', 'upload', file, '--type', 'pan', '--company', 'CEKVERIFY1', '--out', out], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/COMPLETED {2}3\/3 rows done, 1 failed\n/);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Result: ${out} (3 rows, 1 failed)`);
      expectResult(out);
      const status = await cli(['verify', 'status', /^(VBJ_\w+)/.exec(r.stdout)![1]!, '--company', 'CEKVERIFY1', '--json'], { env });
      expect(JSON.parse(status.stdout)).toMatchObject({ status: 'COMPLETED', rowsTotal: 3, rowsDone: 3, rowsFailed: 1 });
    } finally {
      await close();
    }
  });

  it('bad flags exit 2 naming them', async () => {
    const server = { server: { database: t.database, services: t.services } };
    expect(await cli(['verify', 'upload', file, '--company', companyId], server)).toMatchObject({ code: 2, stderr: 'tijori: --type is required\n' });
    expect(await cli(['verify', 'upload', file, '--type', 'passport'], server)).toMatchObject({
      code: 2,
      stderr: 'tijori: --type must be one of pan, gstin, aadhaar, cin, llpin, bank-account, name-match (got "passport")\n',
    });
    const missing = await cli(['verify', 'upload', path.join(dir, 'nope.csv'), '--type', 'pan', '--company', companyId], server);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tijori: cannot read .*nope\.csv: ENOENT/);
    const badFile = path.join(dir, 'bad.csv');
    fs.writeFileSync(badFile, 'passport\nX\n');
    const refused = await cli(['verify', 'upload', badFile, '--type', 'pan', '--company', companyId], server);
    expect(refused).toMatchObject({
      code: 1,
      stderr: 'tijori: Invalid file: unknown column "passport" in the header line; the columns of PAN are pan, name, referenceId\n',
    });
  });
});
