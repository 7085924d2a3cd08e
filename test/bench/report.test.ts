import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/lib/args.js';
import { BenchChild } from '../../bench/lib/child.js';
import { figuresMarkdown, figuresTable, type BenchFigure } from '../../bench/lib/report.js';

/** The pieces of `npm run bench` that do not need a benchmark run: arguments, the closing table, peak RSS. */
const SUITES = ['oauth', 'gateway', 'payouts', 'webhooks'];

const figure = (over: Partial<BenchFigure> = {}): BenchFigure => ({
  suite: 'gateway',
  measure: 'order + card payment + status flows (postgres)',
  unit: '/s',
  tijori: 58.4,
  tijoriP50Ms: 412.25,
  tijoriP99Ms: 749,
  baselineName: 'pgbench payment txn (one merchant balance)',
  baseline: 1406.7,
  baselineP50Ms: 4.5,
  baselineP99Ms: 31.2,
  ratio: 58.4 / 1406.7,
  goal: 0.25,
  met: false,
  tijoriPeakRssBytes: 266 * 1024 * 1024,
  failures: 0,
  ...over,
});

describe('npm run bench arguments', () => {
  it('runs every suite by default and takes suites, --quick and --duration in either form', () => {
    expect(parseBenchArgs([], SUITES)).toEqual({ names: [], quick: false, help: false });
    expect(parseBenchArgs(['--', 'gateway', 'payouts', '--quick'], SUITES)).toEqual({ names: ['gateway', 'payouts'], quick: true, help: false });
    expect(parseBenchArgs(['--duration', '20'], SUITES)).toMatchObject({ duration: '20' });
    expect(parseBenchArgs(['--duration=3'], SUITES)).toMatchObject({ duration: '3' });
  });

  it('refuses an unknown suite or option and a duration that is not a number of seconds >= 1', () => {
    expect(parseBenchArgs(['gatway'], SUITES)).toBe('unknown suite gatway (known: oauth, gateway, payouts, webhooks)');
    expect(parseBenchArgs(['--fast'], SUITES)).toBe('unknown option --fast');
    expect(parseBenchArgs(['--duration', '0.5'], SUITES)).toMatch(/^--duration must be/);
    expect(parseBenchArgs(['--duration'], SUITES)).toMatch(/^--duration must be/);
    expect(parseBenchArgs(['--duration=ten'], SUITES)).toMatch(/^--duration must be/);
  });
});

describe('the closing table', () => {
  it('puts each figure beside its baseline with both latencies, the ratio, the goal and the peak RSS', () => {
    const text = figuresTable([
      figure(),
      figure({
        measure: 'delay',
        unit: 'ms',
        tijori: 3.5,
        baseline: 0.5,
        ratio: 0.5 / 3.5,
        goal: null,
        met: null,
        tijoriP50Ms: 3.5,
        tijoriP99Ms: 12,
        baselineP50Ms: 0.5,
        baselineP99Ms: 1.25,
      }),
    ]);
    const [header, , flow, delay] = text.split('\n');
    expect(header).toMatch(/^suite\s+measure\s+Tijori\s+p50\/p99 ms\s+baseline\s+baseline value\s+p50\/p99 ms\s+ratio\s+goal\s+RSS MiB$/);
    expect(flow).toMatch(
      /58\.4 \/s\s+412\.3 \/ 749\.0\s+pgbench payment txn \(one merchant balance\)\s+1406\.7 \/s\s+4\.50 \/ 31\.2\s+0\.04x\s+>= 0\.25x MISSED\s+266$/,
    );
    expect(delay).toMatch(/3\.50 ms\s+3\.50 \/ 12\.0\s+.*0\.50 ms\s+0\.50 \/ 1\.25\s+0\.14x\s+266$/);
  });

  it('renders the same figures as Markdown for docs/performance.md, a row per figure, failures said', () => {
    const md = figuresMarkdown([
      figure(),
      figure({
        suite: 'webhooks',
        measure: 'events/s',
        tijoriP50Ms: null,
        tijoriP99Ms: null,
        baselineP50Ms: null,
        baselineP99Ms: null,
        goal: null,
        met: null,
        tijoriPeakRssBytes: null,
        failures: 3,
      }),
    ]).split('\n');
    expect(md).toHaveLength(4);
    expect(md[2]).toBe(
      '| gateway | order + card payment + status flows (postgres) | 58.4 /s | 412.3 / 749.0 | pgbench payment txn (one merchant balance) | 1406.7 /s | 4.50 / 31.2 | **0.04x** | ≥ 0.25x missed | 266 |',
    );
    expect(md[3]).toBe('| webhooks | events/s | 58.4 /s | – | pgbench payment txn (one merchant balance) | 1406.7 /s | – | **0.04x** | – (3 failed) | - |');
  });
});

describe('peak RSS of a benchmark child', () => {
  it('is the VmHWM of the running child process, and null once it has stopped', async () => {
    const { child } = await BenchChild.start('fastify-baseline', 'lib/fastify-baseline.ts');
    try {
      const peak = child.peakRssBytes();
      // A Node process with fastify loaded: tens of MiB, well under a GiB.
      expect(peak).toBeGreaterThan(20 * 1024 * 1024);
      expect(peak).toBeLessThan(1024 * 1024 * 1024);
    } finally {
      await child.stop();
    }
    expect(child.peakRssBytes()).toBeNull();
  });
});
