import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Writes a suite's results to bench/results/<suite>-<start time>.json, with when it ran, and
 * returns the file's path.
 */
export function writeResults(suite: string, started: Date, body: Record<string, unknown>): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${suite}-${started.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ suite, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), ...body }, null, 2)}\n`);
  return file;
}
