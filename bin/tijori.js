#!/usr/bin/env node
// The `tijori` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import module from 'node:module';

// Node 22.1+ keeps the compiled code of the modules a start loads (a second of CPU here) for the
// next start; Node 20 has no such cache and skips this.
module.enableCompileCache?.();
const { main } = await import('../dist/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tijori: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
