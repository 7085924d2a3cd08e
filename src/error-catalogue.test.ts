import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes } from './core/errors/codes.js';
import { errorCatalogue } from './error-catalogue.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('error catalogue', () => {
  const defined = sourceFiles('src').flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/defineError\('\w+', \d{3}, '(\w+)'\)/g)].map((m) => m[1]!));

  // Codes the envelope mapper gives framework errors by name (core/http/envelope.ts, wire-error.ts).
  const mapped = [
    ...['envelope.ts', 'wire-error.ts']
      .map((f) => fs.readFileSync(`src/core/http/${f}`, 'utf8'))
      .join('\n')
      .matchAll(/(?:\[\d{3}, |code: |'x-error-code', )'(\w+)'/g),
  ].map((m) => m[1]!);

  it("finds the defined error classes and the mapper's codes", () => {
    expect(defined).toContain('duplicate_parameter');
    expect(defined).toContain('username_taken');
    expect(mapped).toEqual(expect.arrayContaining(['validation_failed', 'unsupported_media_type', 'payload_too_large', 'route_not_found', 'internal_error']));
  });

  it('lists every code the envelope mapper gives', () => {
    for (const code of mapped) expect(Object.keys(errorCatalogue), `${code} missing from the catalogue (src/error-catalogue.ts)`).toContain(code);
  });

  it('lists every code that a class defines, once', () => {
    expect(new Set(defined).size).toBe(defined.length);
    for (const code of defined) expect(Object.keys(errorCatalogue), `${code} missing from the catalogue (src/error-catalogue.ts)`).toContain(code);
  });

  it('documents every catalogued code in docs/errors.md', () => {
    const doc = fs.readFileSync('docs/errors.md', 'utf8');
    for (const code of Object.keys(errorCatalogue)) expect(doc, `${code} missing from docs/errors.md`).toContain(`\`${code}\``);
  });

  it("keeps each code beside its class: the core declares only its own codes and the mapper's", () => {
    const owners = new Map(
      sourceFiles('src').flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/defineError\('\w+', \d{3}, '(\w+)'\)/g)].map((m) => [m[1]!, file] as const),
      ),
    );
    expect(owners.get('payout_transaction_exists')).toBe(path.join('src', 'products', 'payouts', 'errors.ts'));
    for (const code of Object.keys(coreErrorCodes)) {
      const owner = owners.get(code);
      if (owner !== undefined) expect(owner.startsWith(path.join('src', 'core')), `${code} (of ${owner}) belongs beside its class, not in core`).toBe(true);
    }
  });
});
