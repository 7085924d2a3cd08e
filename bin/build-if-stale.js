#!/usr/bin/env node
// `npm start`'s first step: compiles src/ only when something it depends on changed since the last
// build (a restart used to run tsc every time: 20 to 40 seconds), and builds the migrated PGlite
// template for new data folders when it is missing (ADR 0032). Outside a source checkout (no src/)
// there is nothing to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INFO = path.join(ROOT, 'dist', '.tsbuildinfo');
const say = (line) => process.stderr.write(`tijori: ${line}\n`);

/** The newest modification time under `entry` (tests excluded: the build does not compile them). */
function newestMtime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return entry.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

async function buildIfStale() {
  if (!fs.existsSync(path.join(ROOT, 'src'))) return 0;
  const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => path.join(ROOT, p));
  const built = fs.statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js')) || Math.max(...inputs.map(newestMtime)) > built) {
    say(`compiling src/ (${built === 0 ? 'no build yet' : 'changed since the last build'})…`);
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) {
      // tsc emits despite type errors; the next start must compile again.
      if (fs.existsSync(BUILD_INFO)) fs.utimesSync(BUILD_INFO, new Date(0), new Date(0));
      say('the build failed (see above)');
      return 1;
    }
    // tsc leaves the build info untouched when nothing needed emitting; mark this build as current.
    if (fs.existsSync(BUILD_INFO)) fs.utimesSync(BUILD_INFO, new Date(), new Date());
  }
  const { ensureTemplate } = await import('../dist/cli/pglite-template.js');
  try {
    await ensureTemplate(say);
  } catch (err) {
    // Not fatal: without a template a new data folder takes the slow path (initdb, every migration).
    say(`warning: building the PGlite template failed (${err instanceof Error ? err.message : String(err)}); starting without it`);
  }
  return 0;
}

buildIfStale().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    say(`${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
