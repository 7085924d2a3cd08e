import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../core/db/engine.js';
import { createFromTemplate, ensureTemplate, packDir, templateKey, unpackInto } from './pglite-template.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-template-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the PGlite template archive', () => {
  it('unpacks what it packed: folders, empty folders, files of any size and their modes', () => {
    const source = path.join(scratch, 'source');
    fs.mkdirSync(path.join(source, 'base', '5'), { recursive: true });
    fs.mkdirSync(path.join(source, 'pg_empty'));
    fs.writeFileSync(path.join(source, 'PG_VERSION'), '17\n', { mode: 0o600 });
    const big = Buffer.alloc(70_000, 7);
    big.write('end', big.length - 3);
    fs.writeFileSync(path.join(source, 'base', '5', '1259'), big, { mode: 0o640 });
    fs.writeFileSync(path.join(source, 'base', '5', 'empty'), '');

    const target = path.join(scratch, 'target');
    unpackInto(packDir(source, 'pglite'), target);
    expect(fs.readFileSync(path.join(target, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(fs.readFileSync(path.join(target, 'base', '5', '1259')).equals(big)).toBe(true);
    expect(fs.readFileSync(path.join(target, 'base', '5', 'empty')).length).toBe(0);
    expect(fs.statSync(path.join(target, 'pg_empty')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(target, 'base', '5', '1259')).mode & 0o777).toBe(0o640);
  });

  it('leaves a folder that has a database alone', () => {
    const dataDir = path.join(scratch, 'existing');
    fs.mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), 'mine');
    expect(createFromTemplate(dataDir)).toBe('exists');
    expect(fs.readFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), 'utf8')).toBe('mine');
  });

  it('is keyed by the migrations: the key is stable and names a 16-hex-digit file', () => {
    expect(templateKey()).toMatch(/^[0-9a-f]{16}$/);
    expect(templateKey()).toBe(templateKey());
  });

  it("makes a new folder holding every migration and pg-boss's schema, so the start has nothing to apply", { timeout: 300_000 }, async () => {
    await ensureTemplate(); // Built by npm run build; here only when missing (a slow first run).
    const dataDir = path.join(scratch, 'from-template');
    expect(createFromTemplate(dataDir)).toBe('created');
    expect(fs.readdirSync(dataDir)).toEqual(['pglite']);
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const journal = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
      const applied = await database.raw('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied.rows).toEqual([{ n: journal.entries.length }]);
      const boss = await database.raw(
        "select count(*)::int as n from information_schema.tables where table_schema = 'pgboss' and table_name in ('job', 'queue', 'version')",
      );
      expect(boss.rows).toEqual([{ n: 3 }]);
      const before = database.statements();
      await database.migrate();
      // Nothing to apply: drizzle reads its table and its lock, and writes no migration.
      expect((await database.raw('select count(*)::int as n from drizzle.__drizzle_migrations')).rows).toEqual([{ n: journal.entries.length }]);
      expect(database.statements() - before).toBeLessThan(10);
    } finally {
      await database.close();
    }
  });
});
