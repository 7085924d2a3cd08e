/**
 * `npm run bench -- [suite ...] [--quick] [--duration <seconds>]`: runs the named benchmark suites
 * (every one when none is named) in sequence, then prints one table of every figure beside its
 * baseline and writes the whole result to bench/results/latest.json. A suite measures; the command
 * exits 0 whether or not goals are met, and non-zero only when a suite cannot run.
 */
import { parseBenchArgs } from './lib/args.js';
import { figuresTable, machine, writeLatest, type SuiteResult } from './lib/report.js';

const SUITES: Record<string, () => Promise<SuiteResult>> = {
  oauth: async () => (await import('./oauth/suite.js')).runOAuthSuite(),
  gateway: async () => (await import('./gateway/suite.js')).runGatewaySuite(),
  payouts: async () => (await import('./payouts/suite.js')).runPayoutsSuite(),
  webhooks: async () => (await import('./webhooks/suite.js')).runWebhooksSuite(),
  start: async () => (await import('./start/suite.js')).runStartSuite(),
  verification: async () => (await import('./verification/suite.js')).runVerificationSuite(),
};

/**
 * `--quick`: a smoke run of every suite in about two minutes on a quiet machine (1-second runs, a
 * smaller webhook backlog, fewer refresh-token families); its figures only show that everything
 * runs. Set as environment variables so that the suites and their child processes see them; a
 * variable already set wins.
 */
const QUICK_ENV: Record<string, string> = {
  BENCH_DURATION_SECONDS: '1',
  BENCH_WARMUP_SECONDS: '1',
  BENCH_WEBHOOK_EVENTS: '200',
  BENCH_REFRESH_MIN_FAMILIES: '40',
};

const USAGE = `Usage: npm run bench -- [${Object.keys(SUITES).join('|')} ...] [--quick] [--duration <seconds>]
  --quick             smoke run: 1 s runs, 1 s warm-ups, 200 webhook events (about 2 minutes on a quiet machine)
  --duration <s>      length of each timed run (BENCH_DURATION_SECONDS; default 10)
See bench/README.md for the settings and docs/performance.md for the latest table.
`;

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv, Object.keys(SUITES));
  if (typeof args === 'string') {
    process.stderr.write(`bench: ${args}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.quick) for (const [k, v] of Object.entries(QUICK_ENV)) process.env[k] ??= v;
  if (args.duration !== undefined) process.env['BENCH_DURATION_SECONDS'] = args.duration;

  const started = new Date();
  const names = args.names.length > 0 ? args.names : Object.keys(SUITES);
  const results: SuiteResult[] = [];
  const failed: Array<{ suite: string; error: string }> = [];
  for (const name of names) {
    process.stdout.write(`\n==== ${name} ====\n`);
    try {
      results.push(await SUITES[name]!());
    } catch (err) {
      // One suite that cannot run (say, no pgbench) does not hide the others' figures.
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failed.push({ suite: name, error });
      process.stderr.write(`bench: suite ${name} could not run: ${error}\n`);
    }
  }

  const figures = results.flatMap((r) => r.figures);
  const postgres = results.map((r) => (r.record['environment'] as { postgres?: string } | undefined)?.postgres).find(Boolean) ?? null;
  const file = writeLatest({
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.filter((a) => a !== '--').join(' ')}` : ''}`,
    quick: args.quick,
    durationSeconds: Number(process.env['BENCH_DURATION_SECONDS'] ?? 10),
    machine: machine(postgres),
    figures,
    failedSuites: failed.map((f) => f.suite),
    suites: Object.fromEntries(results.map((r) => [r.suite, { file: r.file, ...r.record }])),
  });

  process.stdout.write(`\n==== every figure (ratio = Tijori's speed over the baseline's; RSS = peak resident set of the Tijori process) ====\n`);
  process.stdout.write(`${figuresTable(figures)}\n`);
  if (args.quick) process.stdout.write('(--quick: 1-second runs; a smoke test, not a measurement)\n');
  process.stdout.write(`results: ${file}\n`);
  if (failed.length > 0) {
    process.stderr.write(`bench: ${failed.length} suite(s) could not run: ${failed.map((f) => f.suite).join(', ')}\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
