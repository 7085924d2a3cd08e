import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux clock ticks per second (the unit of /proc CPU times). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds the whole machine spent busy and in total (all cores) so far, from /proc/stat; null off Linux. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    const n = fields.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; null when it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** CPU seconds per pid for a set of pids. */
export function processesCpu(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = processCpuSeconds(pid);
    if (s !== null) out.set(pid, s);
  }
  return out;
}

/** CPU used between two snapshots of a set of processes; a pid that appeared in between counts whole. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}

/**
 * CPU used by a changing set of processes over a run, such as the PostgreSQL backends of a client
 * that connects at its start and disconnects at its end (pgbench): their pids are looked up every
 * `refreshMs` and their CPU read every `intervalMs`, so a process that exits loses at most its
 * last interval. A pid first seen during the run counts whole (it started during the run).
 */
export class CpuSampler {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private pids: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private refreshing: Promise<void> | undefined;

  private constructor(
    private readonly pidsOf: () => Promise<number[]>,
    private readonly refreshEvery: number,
  ) {}

  static async start(pidsOf: () => Promise<number[]>, intervalMs = 100, refreshMs = 1000): Promise<CpuSampler> {
    const sampler = new CpuSampler(pidsOf, Math.max(1, Math.round(refreshMs / intervalMs)));
    sampler.pids = await pidsOf();
    for (const [pid, s] of processesCpu(sampler.pids)) sampler.first.set(pid, s);
    sampler.timer = setInterval(() => sampler.tick(), intervalMs);
    return sampler;
  }

  private read(): void {
    for (const [pid, s] of processesCpu(this.pids)) this.last.set(pid, s);
  }

  private tick(): void {
    this.read();
    if (++this.ticks % this.refreshEvery === 0 && !this.refreshing) {
      this.refreshing = this.pidsOf()
        .then((pids) => {
          this.pids = pids;
          this.read();
        })
        .catch(() => undefined)
        .finally(() => (this.refreshing = undefined));
    }
  }

  /** Stops sampling and returns the CPU seconds the processes used since `start`. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.refreshing;
    this.pids = [...new Set([...this.pids, ...(await this.pidsOf())])];
    this.read();
    let sum = 0;
    for (const [pid, s] of this.last) sum += s - (this.first.get(pid) ?? 0);
    return sum;
  }
}
