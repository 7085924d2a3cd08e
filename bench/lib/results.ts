import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Writes a suite's results to bench/results/<suite>-<start time>.json (git-ignored), with when it
 * ran, and returns the file's path and the record written (bench/run.ts gathers the records of
 * every suite into bench/results/latest.json).
 */
export function writeResults(suite: string, started: Date, body: Record<string, unknown>): { file: string; record: Record<string, unknown> } {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${suite}-${started.toISOString().replace(/[:.]/g, '-')}.json`;
  const record = { suite, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), ...body };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return { file, record };
}
