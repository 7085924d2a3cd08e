import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('rails boundaries (DESIGN.md)', () => {
  it('never import products, auth or the app: products call rails, not the other way round', () => {
    const offenders = sources('src/rails').flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
        .map((m) => m[1]!)
        .filter((spec) => /\/(products|auth)\//.test(spec) || /\/app\.js$/.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('every rail folder has its interface in rail.ts', () => {
    const folders = fs
      .readdirSync('src/rails', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(['b2b-network', 'bank-transfer', 'bbps', 'card', 'netbanking', 'registries', 'upi', 'wallet']);
    for (const f of folders) expect(fs.readFileSync(`src/rails/${f}/rail.ts`, 'utf8')).toMatch(/export interface \w+Rail\b/);
  });
});
