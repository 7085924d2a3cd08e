import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFromTemplate, packDir, templateKey, unpackInto } from './pglite-template.js';

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
});
