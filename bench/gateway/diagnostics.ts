/** CPU accounting of one timed run of the gateway benchmark: snapshots around it and what it cost per operation. */
import { performance } from 'node:perf_hooks';
import { eluBetween, type BenchChild } from '../lib/child.js';
import { cpuBetween, machineCpu, processesCpu } from '../lib/cpu.js';
import { statementsBetween, type StatementStats } from '../lib/pg-statements.js';
import type { Sample } from '../lib/stats.js';

/** Where one timed run spent its CPU (milliseconds per completed operation) and, for Tijori on PostgreSQL, its statements. */
export interface Diagnostics {
  wallSeconds: number;
  machineBusyCores: number;
  /** Busy cores not accounted to this benchmark's processes and its database's backends. */
  restOfMachineCores: number;
  /** server: the HTTP server process (Tijori with PGlite inside it, or fastify); loadgen: autocannon here, or pgbench. */
  cpuMsPerOp: { server: number; postgres: number; loadgen: number };
  serverEventLoopUtilization?: number;
  statementsPerOp?: number;
  statements?: Array<{ kind: string; perOp: number; msEach: number; msPerOp: number }>;
}

/** The CPU counters of the machine, this process, the benchmark's children and `server` (with its own stats) at one instant. */
export const snapshot = async (server: BenchChild | null, childPids: () => number[]) => ({
  at: performance.now(),
  machine: machineCpu(),
  loadgen: process.cpuUsage(),
  children: processesCpu(childPids()),
  server: processesCpu(server ? [server.pid ?? -1] : []),
  stats: server ? await server.request({ type: 'stats' }, 'stats') : null,
});
export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** What one run cost between two snapshots; `postgres` is the CPU seconds of the database backends, `external` pgbench's own. */
export const diagnose = (before: Snapshot, after: Snapshot, postgres: number, external: number, sample: Sample): Diagnostics => {
  const ops = Math.max(1, sample.ok + sample.non2xx);
  const wall = (after.at - before.at) / 1000;
  const loadgen = (after.loadgen.user + after.loadgen.system - before.loadgen.user - before.loadgen.system) / 1e6 + external;
  const server = cpuBetween(before.server, after.server);
  const ours = cpuBetween(before.children, after.children) + postgres + loadgen;
  const busy = before.machine && after.machine ? after.machine.busy - before.machine.busy : Number.NaN;
  const perOp = (seconds: number) => (seconds * 1000) / ops;
  const d: Diagnostics = {
    wallSeconds: wall,
    machineBusyCores: busy / wall,
    restOfMachineCores: (busy - ours) / wall,
    cpuMsPerOp: { server: perOp(server), postgres: perOp(postgres), loadgen: perOp(loadgen) },
  };
  if (before.stats && after.stats) {
    d.serverEventLoopUtilization = eluBetween(before.stats['elu'], after.stats['elu']);
    const statements = statementsBetween(before.stats as Partial<StatementStats>, after.stats as Partial<StatementStats>, ops);
    if (statements) Object.assign(d, statements);
  }
  return d;
};
