// House rules of DESIGN.md kept by dependency-cruiser (`npm run check`; ADR 0034).
// Paths are relative to the folder it runs in: the repository, or a fixture of test/rules/.
/** A product: a folder directly under src/products/, or under src/products/gateway/. $1 is its folder. */
const PRODUCT = '^src/products/(gateway/[^/]+|(?!gateway/)[^/]+)/';
/** The order-payment aggregate: two folders, one owner of an order's payment state (ADR 0028). */
const ORDER_PAYMENT = '^src/products/gateway/(orders|payments)/';
/** What another product may import: a product's index.ts, or the gateway's. */
const INDEXES = ['^src/products/(gateway/)?[^/]+/index\\.ts$', '^src/products/gateway/index\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'fault-injection-tests-only',
      severity: 'error',
      comment:
        'core/db/faults.ts makes database statements fail on purpose (ADR 0046): only the engine, which takes it as an option, and ' +
        'test code may import it, so that no configuration of the product can turn it on.',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/core/db/engine\\.ts$'] },
      to: { path: '^src/core/db/faults\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles. Type-only imports (`import type`, erased under verbatimModuleSyntax) do not count: they cannot change the ' +
        'order modules initialise in, and an interface named by its implementations (a grant and the OAuth service) is the normal shape.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-names-no-product',
      severity: 'error',
      comment: 'core/ is the kernel: it never imports from auth/, products/ or rails/ (DESIGN.md, Architecture).',
      // Its tests may seed a company through auth/ (as the lint rule of eslint.config.js allows).
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(auth|products|rails)/' },
    },
    {
      name: 'rails-name-no-product',
      severity: 'error',
      comment: 'A rail serves every product through its interface; it never imports a product.',
      from: { path: '^src/rails/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/products/' },
    },
    {
      name: 'cross-product-through-index',
      severity: 'error',
      comment:
        "A product uses another product only through that product's index.ts (DESIGN.md: services call other products only through " +
        "that product's index.ts). Orders and payments are exported by the gateway's own index.ts.",
      from: { path: PRODUCT, pathNot: ORDER_PAYMENT },
      to: {
        path: '^src/products/',
        pathNot: ['^src/products/$1/', ...INDEXES],
      },
    },
    {
      name: 'cross-product-through-index',
      severity: 'error',
      comment:
        'Orders and payments are one aggregate (an order and its payment state; ADR 0028): they use each other directly, and every ' +
        "other product only through that product's index.ts.",
      from: { path: ORDER_PAYMENT },
      to: { path: '^src/products/', pathNot: [ORDER_PAYMENT, ...INDEXES] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'A relative import the cruiser cannot resolve would hide its edges from every rule above.',
      from: {},
      to: { couldNotResolve: true, path: '^\\.\\.?/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/', '^test/rules/fixtures/'] },
    tsPreCompilationDeps: true,
    // NodeNext: `./x.js` in a .ts file is ./x.ts (the cruiser maps it); packages resolve through their `exports`.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'], conditionNames: ['import', 'require', 'node', 'default'], exportsFields: ['exports'] },
    skipAnalysisNotInRules: true,
  },
};
