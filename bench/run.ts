/**
 * `npm run bench -- <suite>`: runs a benchmark suite (all of them when none is named). A suite
 * measures; it exits 0 whether or not its goals are met, and non-zero only when it cannot run.
 */
const SUITES: Record<string, () => Promise<void>> = {
  oauth: async () => (await import('./oauth/suite.js')).runOAuthSuite(),
  webhooks: async () => (await import('./webhooks/suite.js')).runWebhooksSuite(),
  gateway: async () => (await import('./gateway/suite.js')).runGatewaySuite(),
};

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => a !== '--');
  if (names.includes('--help') || names.includes('-h')) {
    process.stdout.write(`Usage: npm run bench -- [${Object.keys(SUITES).join('|')}]\nSee bench/README.md for the settings.\n`);
    return 0;
  }
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})\n`);
    return 2;
  }
  for (const name of names.length > 0 ? names : Object.keys(SUITES)) await SUITES[name]!();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
