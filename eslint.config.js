// Lint: typescript-eslint's recommended rules plus the house rules of DESIGN.md that a type
// check cannot see (the kernel stays independent of products; domain code asks the clock).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/results/**', 'test/rules/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // No file over 500 lines, blank lines and comments included (DESIGN.md; ADR 0034).
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 500, skipBlankLines: false, skipComments: false }] },
  },
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly' } } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/auth/**', '**/products/**', '**/rails/**'], message: 'core/ never imports from auth/, products/ or rails/' }] },
      ],
    },
  },
  {
    files: ['src/auth/**/*.ts', 'src/products/**/*.ts', 'src/rails/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Ask the clock service (core/clock), not the wall clock.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Ask the clock service (core/clock), not the wall clock.' },
        { selector: "CallExpression[callee.name='parseFloat']", message: 'No floating point near money: integer paise inside, convert at the wire edge.' },
      ],
    },
  },
);
