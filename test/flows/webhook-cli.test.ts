import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/engine.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { cleanup, runCli, startServer, tempDir } from '../support/process.js';

const SLOW = 300_000;
afterAll(cleanup, SLOW);

/** The operator side of webhooks, as a user runs it: sandbox/live mode and the secrets key file. */
describe('tijori company set-mode and the secrets key file', { timeout: SLOW }, () => {
  const dataDir = tempDir();
  const cli = (args: string[]) => runCli([...args, '--data-dir', dataDir]);

  it('creates a company live or switches it to live mode and back; refuses a bad mode and an unknown company', async () => {
    const created = await cli(['company', 'create', '--name', 'Live Co']);
    const companyId = /Created company (CEK[A-Z0-9]{7})/.exec(created.stdout)?.[1];
    expect(companyId, created.stdout + created.stderr).toBeDefined();

    const live = await cli(['company', 'set-mode', '--company', companyId!, '--mode', 'live']);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain(`Company ${companyId} is now in live mode`);
    const bad = await cli(['company', 'set-mode', '--company', companyId!, '--mode', 'staging']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--mode must be sandbox or live');
    const unknown = await cli(['company', 'set-mode', '--company', 'CEK0000000', '--mode', 'live']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('company CEK0000000 does not exist');

    const born = await cli(['company', 'create', '--name', 'Born Live', '--mode', 'live']);
    const bornId = /^Created company (CEK[A-Z0-9]{7}) \(Born Live\) in live mode$/m.exec(born.stdout)?.[1];
    expect(bornId, born.stdout + born.stderr).toBeDefined();
    const refused = await cli(['company', 'create', '--name', 'Nope', '--mode', 'staging']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--mode must be sandbox or live');

    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = await queryRows<{ id: string; sandbox_mode: boolean }>(database.db, sql`select id, sandbox_mode from companies order by name`);
      expect(rows).toEqual([
        { id: bornId, sandbox_mode: false },
        { id: companyId, sandbox_mode: false },
      ]);
    } finally {
      await database.close();
    }
    expect((await cli(['company', 'set-mode', '--company', companyId!, '--mode', 'sandbox'])).stdout).toContain('now in sandbox mode');
  });

  it('creates secrets.key (0600) in the data folder on first start, and keeps it across restarts', async () => {
    const first = await startServer({ dataDir });
    await first.stop('SIGTERM');
    const file = path.join(dataDir, 'secrets.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(file, 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    const second = await startServer({ dataDir });
    await second.stop('SIGTERM');
    expect(fs.readFileSync(file, 'utf8')).toBe(key);
  });
});
