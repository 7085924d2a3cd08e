// Writes docs/sandbox.md from the rails' test-data registry. A test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { renderSandboxDoc } from '../src/sandbox-doc.js';

writeFileSync(new URL('../docs/sandbox.md', import.meta.url), renderSandboxDoc());
console.log('wrote docs/sandbox.md');
