#!/usr/bin/env node
// The `tijori` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tijori: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
