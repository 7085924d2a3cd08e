import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

/**
 * The house rules kept by `npm run check` (ADR 0034): each fixture under fixtures/ breaks one rule
 * and is caught by the project's own configuration of that tool; the clean fixture passes all of
 * them. The fixtures are excluded from the real check (.dependency-cruiser.cjs, eslint.config.js,
 * .prettierignore), which this test also asserts.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const run = promisify(execFile);

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** dependency-cruiser with the project's config, run in a fixture folder (its rules name `src/...`). */
async function cruise(fixture: string): Promise<Violation[]> {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const { stdout } = await run(process.execPath, [bin, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'src'], {
    cwd: path.join(FIXTURES, fixture),
  }).catch((err: { stdout: string }) => err);
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

async function lint(file: string): Promise<ESLint.LintResult> {
  // ignore: false lints the fixture although eslint.config.js ignores the fixtures folder.
  const eslint = new ESLint({ cwd: ROOT, ignore: false });
  const [result] = await eslint.lintFiles([path.join(FIXTURES, file)]);
  return result!;
}

async function formatted(file: string): Promise<boolean> {
  const filepath = path.join(FIXTURES, file);
  const source = await import('node:fs/promises').then((fs) => fs.readFile(filepath, 'utf8'));
  return prettier.check(source, { ...(await prettier.resolveConfig(filepath)), filepath });
}

describe('the house rules of npm run check', () => {
  it('dependency-cruiser fails an import cycle (no-circular)', async () => {
    const violations = await cruise('cycle');
    expect(violations.map((v) => v.rule.name)).toEqual(['no-circular']);
    expect(['src/core/http/envelope.ts', 'src/core/http/oauth.ts']).toContain(violations[0]!.from);
  });

  it("dependency-cruiser fails a product importing another product's repository instead of its index.ts", async () => {
    const violations = await cruise('deep-import');
    expect(violations).toEqual([
      expect.objectContaining({
        from: 'src/products/alpha/service.ts',
        to: 'src/products/beta/repository.ts',
        rule: expect.objectContaining({ name: 'cross-product-through-index' }),
      }),
    ]);
  });

  it('eslint fails a file of 501 lines (max-lines 500) and nothing else in it', async () => {
    const result = await lint('long/src/long.ts');
    expect(result.messages.map((m) => m.ruleId)).toEqual(['max-lines']);
    expect(result.messages[0]!.message).toContain('501');
  });

  it('prettier fails an unformatted file with the project config', async () => {
    expect(await formatted('unformatted/src/unformatted.ts')).toBe(false);
  });

  it('the clean fixture passes all three: imports through index.ts, under 500 lines, formatted', async () => {
    expect(await cruise('clean')).toEqual([]);
    for (const file of ['clean/src/products/alpha/service.ts', 'clean/src/products/beta/index.ts', 'clean/src/core/money.ts']) {
      expect((await lint(file)).messages).toEqual([]);
      expect(await formatted(file)).toBe(true);
    }
  });

  it('the fixtures are left out of the real check', async () => {
    const info = await prettier.getFileInfo(path.join(FIXTURES, 'unformatted/src/unformatted.ts'), { ignorePath: path.join(ROOT, '.prettierignore') });
    expect(info.ignored).toBe(true);
    expect(await new ESLint({ cwd: ROOT }).isPathIgnored(path.join(FIXTURES, 'long/src/long.ts'))).toBe(true);
    const { default: config } = (await import(path.join(ROOT, '.dependency-cruiser.cjs'))) as { default: { options: { exclude: { path: string[] } } } };
    expect(config.options.exclude.path).toContain('^test/rules/fixtures/');
  });
});
