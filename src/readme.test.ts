import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from './config.js';

describe('README', () => {
  const readme = fs.readFileSync('README.md', 'utf8');

  it('documents every setting of src/config.ts with its variable and flag', () => {
    for (const s of SETTINGS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${s.env}\``));
      expect(row, `${s.env} missing from the configuration table`).toBeDefined();
      for (const flag of s.flag.split(' / ')) expect(row).toContain(`\`${flag}\``);
    }
  });

  it('shows the portal page request and the sandbox credentials', () => {
    expect(readme).toContain("--data-urlencode 'clientId=CEK1GZBO6A'");
    expect(readme).toContain('64b0ff0332f058b56402b63a9baa60214f2d61d3');
    expect(readme).toContain('Test@1234567');
  });
});
