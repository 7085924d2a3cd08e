import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why `npm run build` failed, or '' when dist/ is current. The end-to-end tests refuse to run on a stale dist/. */
    tijoriBuildError: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_INFO = path.join(ROOT, 'dist', '.tsbuildinfo');

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * The end-to-end tests run the real `tijori` command, which is bin/tijori.js on the compiled
 * dist/. This compiles src/ once per test run when anything it depends on is newer than the
 * last good build (`tsc -p tsconfig.build.json`, i.e. `npm run build`). A failed build does not
 * stop the unit tests: it is handed to the end-to-end tests, which fail with the compiler output.
 */
export default function setup(project: TestProject): void {
  const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => path.join(ROOT, p));
  const built = fs.statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const current = fs.existsSync(path.join(ROOT, 'dist', 'main.js')) && Math.max(...inputs.map(newestMtime)) <= built;
  if (current) {
    project.provide('tijoriBuildError', '');
    return;
  }
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) {
    // tsc leaves the build info untouched when nothing needed emitting; mark this build as current.
    if (fs.existsSync(BUILD_INFO)) fs.utimesSync(BUILD_INFO, new Date(), new Date());
    project.provide('tijoriBuildError', '');
  } else {
    // tsc emits despite type errors and records them; make the next run compile again.
    if (fs.existsSync(BUILD_INFO)) fs.utimesSync(BUILD_INFO, new Date(0), new Date(0));
    project.provide(
      'tijoriBuildError',
      `npm run build failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}${result.error ?? ''}`,
    );
  }
}
