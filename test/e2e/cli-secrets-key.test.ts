import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { tempDir } from '../support/process.js';

// Issue 16 item 3: a `tijori merchant-key` run with a key other than the server's (a key file made
// in another folder) sealed a merchant secret the server could not open. It now stops, naming the
// key it used, and writes nothing.

describe('tijori merchant-key with another secrets key', () => {
  it('stops with a message naming the key file it used, and creates no key; with the right key it works', async () => {
    const dataDir = tempDir('tijori-keys-');
    const env = { TIJORI_DATA_DIR: dataDir };
    const company = await runInProcess(['company', 'create', '--name', 'Keys'], { env });
    const companyId = /Created company (CEK[A-Z0-9]{7})/.exec(company.stdout)?.[1];
    expect(companyId, company.stdout + company.stderr).toBeDefined();
    const first = await runInProcess(['merchant-key', 'create', '--company', companyId!], { env });
    expect(first.code, first.stderr).toBe(0);

    const keyFile = path.join(dataDir, 'secrets.key');
    const serverKey = fs.readFileSync(keyFile, 'utf8');
    fs.writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    const refused = await runInProcess(['merchant-key', 'create', '--company', companyId!], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('cannot open the secrets of 1 merchant key(s)');
    expect(refused.stderr).toContain(`the key file ${path.resolve(keyFile)}`);

    fs.writeFileSync(keyFile, serverKey);
    const listed = await runInProcess(['merchant-key', 'list', '--company', companyId!], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  });
});
