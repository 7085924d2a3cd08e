import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixed, table } from './stats.js';

/**
 * One line of the closing table of `npm run bench`: a Tijori figure beside its baseline measured
 * in the same invocation. `ratio` is always a speed ratio (higher is better for Tijori): rate over
 * rate, or for a latency-only figure the baseline's latency over Tijori's.
 */
export interface BenchFigure {
  suite: string;
  measure: string;
  /** '/s' for a rate; 'ms' for a latency-only figure (its value is the p50). */
  unit: '/s' | 'ms';
  tijori: number;
  tijoriP50Ms: number | null;
  tijoriP99Ms: number | null;
  baselineName: string;
  baseline: number;
  baselineP50Ms: number | null;
  baselineP99Ms: number | null;
  ratio: number;
  /** The suite's goal for `ratio`, if it has one, and whether it was met. */
  goal: number | null;
  met: boolean | null;
  /** Peak resident set of the Tijori process that served the figure (VmHWM), in bytes. */
  tijoriPeakRssBytes: number | null;
  /** Failed operations (non-2xx, errors) on either side: the figure is not a clean measurement. */
  failures: number;
}

/** What a suite hands back to `bench/run.ts`: its figures for the closing table and its whole result record. */
export interface SuiteResult {
  suite: string;
  /** The timestamped file the suite wrote (bench/results/<suite>-<time>.json, git-ignored). */
  file: string;
  figures: BenchFigure[];
  record: Record<string, unknown>;
}

export function latencyOf(s: { p50Ms: number; p99Ms: number }): { p50Ms: number | null; p99Ms: number | null } {
  return { p50Ms: Number.isFinite(s.p50Ms) ? s.p50Ms : null, p99Ms: Number.isFinite(s.p99Ms) ? s.p99Ms : null };
}

const ms = (n: number | null) => (n === null ? '-' : fixed(n, n < 10 ? 2 : 1));
const value = (n: number, unit: '/s' | 'ms') => (unit === 'ms' ? `${ms(n)} ms` : `${fixed(n)} /s`);
const mib = (bytes: number | null) => (bytes === null ? '-' : fixed(bytes / 1024 / 1024, 0));

/** The closing table of `npm run bench`, every suite's figures one per line. */
export function figuresTable(figures: BenchFigure[]): string {
  return table(
    ['suite', 'measure', 'Tijori', 'p50/p99 ms', 'baseline', 'baseline value', 'p50/p99 ms', 'ratio', 'goal', 'RSS MiB'],
    figures.map((f) => [
      f.suite,
      f.measure,
      value(f.tijori, f.unit),
      f.tijoriP50Ms === null ? '-' : `${ms(f.tijoriP50Ms)} / ${ms(f.tijoriP99Ms)}`,
      f.baselineName,
      value(f.baseline, f.unit),
      f.baselineP50Ms === null ? '-' : `${ms(f.baselineP50Ms)} / ${ms(f.baselineP99Ms)}`,
      `${fixed(f.ratio, 2)}x`,
      (f.goal === null ? '' : `>= ${fixed(f.goal, 2)}x ${f.met ? 'met' : 'MISSED'}`) + (f.failures > 0 ? ` [${f.failures} FAILED]` : ''),
      mib(f.tijoriPeakRssBytes),
    ]),
  );
}

/** The machine, as docs/performance.md records it. */
export function machine(postgres: string | null): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryBytes: os.totalmem(),
    node: process.version,
    postgres,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavgAtEnd: os.loadavg(),
  };
}

/** Writes the invocation's whole result to bench/results/latest.json (committed: docs/performance.md quotes it). */
export function writeLatest(body: Record<string, unknown>): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}latest.json`;
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** The closing table as Markdown, for docs/performance.md (scripts/generate-performance-table.ts). */
export function figuresMarkdown(figures: BenchFigure[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const latency = (p50: number | null, p99: number | null) => (p50 === null ? '–' : `${ms(p50)} / ${ms(p99)}`);
  const rows = figures.map((f) =>
    [
      f.suite,
      f.measure,
      value(f.tijori, f.unit),
      latency(f.tijoriP50Ms, f.tijoriP99Ms),
      f.baselineName,
      value(f.baseline, f.unit),
      latency(f.baselineP50Ms, f.baselineP99Ms),
      `**${fixed(f.ratio, 2)}x**`,
      (f.goal === null ? '–' : `≥ ${fixed(f.goal, 2)}x ${f.met ? 'met' : 'missed'}`) + (f.failures > 0 ? ` (${f.failures} failed)` : ''),
      mib(f.tijoriPeakRssBytes),
    ]
      .map((c) => cell(String(c)))
      .join(' | '),
  );
  return [
    '| suite | measure | Tijori | p50 / p99 ms | baseline | baseline value | p50 / p99 ms | ratio | goal | Tijori peak RSS MiB |',
    '|---|---|---:|---:|---|---:|---:|---:|---|---:|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}
