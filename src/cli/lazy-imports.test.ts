import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The modules a file loads before any of its code runs: its static, non-type imports, followed through src/. */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = fs.readFileSync(entry, 'utf8');
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.')) staticGraph(path.resolve(path.dirname(entry), specifier.replace(/\.js$/, '.ts')), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('the tijori command loads lazily (ADR 0032)', () => {
  it('src/main.ts loads no package and none of the app before a command runs: --help and bad flags answer at once', () => {
    const graph = staticGraph(path.join(SRC, 'main.ts'));
    const packages = [...graph].filter((m) => !m.startsWith('/') && !m.startsWith('node:'));
    expect(packages).toEqual([]);
    const files = [...graph]
      .filter((m) => m.startsWith('/'))
      .map((f) => path.relative(SRC, f))
      .sort();
    expect(files).toEqual(['cli/io.ts', 'cli/options.ts', 'cli/suggest.ts', 'config.ts', 'core/db/data-dir-lock.ts', 'core/errors/app-error.ts', 'main.ts']);
  });

  it('the admin commands do not load fastify or the app', () => {
    const graph = [...staticGraph(path.join(SRC, 'cli', 'admin.ts'))];
    expect(graph).not.toContain('fastify');
    expect(graph.map((f) => path.relative(SRC, f))).not.toContain('app.ts');
  });
});
