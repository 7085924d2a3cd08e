/**
 * The start benchmark (`npm run bench -- start`): from the command to the first 200 of `/health`
 * for a restart on an existing PGlite data folder (goal 3 s) and a first start on a new one (goal
 * 10 s), and `tijori --help` to its exit (goal 1 s). Each beside a baseline measured in the same
 * run: a bare fastify listen with one route (the starts), a bare `node -e 0` (--help). Every
 * figure is the median of BENCH_START_RUNS runs of `node bin/tijori.js` on the compiled dist/
 * (run `npm run build` first: it also makes the migrated PGlite template that a new folder is
 * made from). The record also keeps each run's CPU time (user + system, all threads), which a
 * loaded machine disturbs less than wall time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber } from '../lib/env.js';
import type { BenchFigure, SuiteResult } from '../lib/report.js';
import { writeResults } from '../lib/results.js';
import { fixed, percentile, table } from '../lib/stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'tijori.js');
const BARE_FASTIFY = fileURLToPath(new URL('./bare-fastify.mjs', import.meta.url));
const log = (line = '') => process.stdout.write(`${line}\n`);

interface Run {
  ms: number;
  cpuMs: number | null;
  peakRssBytes: number | null;
}

/** User + system CPU of a live process (all its threads), from /proc; null elsewhere. */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function peakRssOf(pid: number | undefined): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

/** A command to its exit (status 0 required). */
async function timeToExit(args: string[]): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  const code = await exited(child);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  return { ms, cpuMs: null, peakRssBytes: null };
}

let nextPort = 18_600 + Math.floor(Math.random() * 1000);

/** A server command to the first 200 of GET /health (polled every 5 ms), then SIGTERM. */
async function timeToHealth(args: (port: number) => string[], timeoutMs = 120_000): Promise<Run> {
  const port = nextPort++;
  const started = performance.now();
  let output = '';
  const child = spawn(process.execPath, args(port), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before /health answered\n${output}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no /health within ${timeoutMs} ms\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { ms: performance.now() - started, cpuMs: cpuMsOf(child.pid), peakRssBytes: peakRssOf(child.pid) };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited(child);
    clearTimeout(timer);
  }
}

async function repeat(runs: number, what: string, once: () => Promise<Run>): Promise<Run[]> {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  log(`  ${what}: ${results.map((r) => `${fixed(r.ms, 0)} ms${r.cpuMs === null ? '' : ` (cpu ${fixed(r.cpuMs, 0)})`}`).join(', ')}`);
  return results;
}

const median = (runs: Run[], key: 'ms' | 'cpuMs' = 'ms') =>
  percentile(
    runs.map((r) => r[key] ?? Number.NaN).sort((a, b) => a - b),
    50,
  );

export async function runStartSuite(): Promise<SuiteResult> {
  const runs = Math.floor(envNumber('BENCH_START_RUNS', 5, 1));
  if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const started = new Date();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tijori-bench-start-'));
  try {
    const templates = (await import('../../src/cli/pglite-template.js')).currentTemplate();
    log(`tijori start, ${runs} runs of each (PGlite template: ${templates ? path.basename(templates) : 'none; run npm run build'})`);
    const start = (dataDir: string) => (port: number) => [BIN, 'start', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir];
    const bare = await repeat(runs, 'baseline: bare fastify listen → /health', () => timeToHealth((port) => [BARE_FASTIFY, String(port)]));
    let n = 0;
    const first = await repeat(runs, 'first start on a new folder → /health', () => timeToHealth(start(path.join(scratch, `new-${n++}`))));
    const existing = path.join(scratch, 'new-0');
    const restart = await repeat(runs, 'restart on an existing folder → /health', () => timeToHealth(start(existing)));
    const nodeBare = await repeat(runs, 'baseline: node -e 0', () => timeToExit(['-e', '0']));
    const help = await repeat(runs, 'tijori --help', () => timeToExit([BIN, '--help']));

    const measures = [
      { measure: 'restart on an existing folder → /health', goalMs: 3000, tijori: restart, baselineName: 'bare fastify listen → /health', baseline: bare },
      { measure: 'first start on a new folder → /health', goalMs: 10_000, tijori: first, baselineName: 'bare fastify listen → /health', baseline: bare },
      { measure: 'tijori --help → exit', goalMs: 1000, tijori: help, baselineName: 'node -e 0 → exit', baseline: nodeBare },
    ];
    log('');
    log(
      table(
        ['figure (median)', 'Tijori', 'Tijori CPU', 'baseline', 'baseline value', 'goal'],
        measures.map((m) => [
          m.measure,
          `${fixed(median(m.tijori), 0)} ms`,
          Number.isNaN(median(m.tijori, 'cpuMs')) ? '-' : `${fixed(median(m.tijori, 'cpuMs'), 0)} ms`,
          m.baselineName,
          `${fixed(median(m.baseline), 0)} ms`,
          `<= ${fixed(m.goalMs / 1000, 0)} s ${median(m.tijori) <= m.goalMs ? 'met' : 'MISSED'}`,
        ]),
      ),
    );
    const { file, record } = writeResults('start', started, {
      settings: { runs },
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadavg: os.loadavg(),
        template: templates ? path.basename(templates) : null,
      },
      figures: measures.map((m) => ({ measure: m.measure, goalMs: m.goalMs, tijori: m.tijori, baselineName: m.baselineName, baseline: m.baseline })),
    });
    log(`results: ${file}`);
    // The closing table's goals are speed ratios: the goal in ms over the baseline's time, so that
    // "met" there means the median start took at most the goal.
    const figures: BenchFigure[] = measures.map((m) => {
      const tijori = median(m.tijori);
      const baseline = median(m.baseline);
      const goal = baseline / m.goalMs;
      return {
        suite: 'start',
        measure: `${m.measure} (goal ${fixed(m.goalMs / 1000, 0)} s)`,
        unit: 'ms',
        tijori,
        tijoriP50Ms: tijori,
        tijoriP99Ms: Math.max(...m.tijori.map((r) => r.ms)),
        baselineName: m.baselineName,
        baseline,
        baselineP50Ms: baseline,
        baselineP99Ms: Math.max(...m.baseline.map((r) => r.ms)),
        ratio: baseline / tijori,
        goal,
        met: baseline / tijori >= goal,
        tijoriPeakRssBytes: Math.max(0, ...m.tijori.map((r) => r.peakRssBytes ?? 0)) || null,
        failures: 0,
      };
    });
    return { suite: 'start', file, figures, record };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
