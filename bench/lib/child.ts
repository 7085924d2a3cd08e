import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** Messages children send: `ready` once serving (with e.g. `port`), `error` when they fail, replies to requests. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * A TypeScript module run in its own Node process (through tsx), so that a server under load and
 * the load generator do not share one event loop. Talks over the IPC channel.
 */
export class BenchChild {
  private output = '';
  private exited = false;
  private readonly waiters: Array<{ type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }> = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      // Keep the tail only: shown when the child fails, dropped otherwise (oidc-provider's dev notices).
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'error') {
        const err = new Error(`${name}: ${String(message['message'])}`);
        for (const w of this.waiters.splice(0)) w.reject(err);
        return;
      }
      const i = this.waiters.findIndex((w) => w.type === message.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const err = new Error(`${name} exited (code ${code}, signal ${signal})\n${this.output}`);
      for (const w of this.waiters.splice(0)) w.reject(err);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * The process's peak resident set so far (VmHWM of /proc/<pid>/status), in bytes; null where
   * /proc is not there or the process has exited. Read before `stop()`.
   */
  peakRssBytes(): number | null {
    if (this.exited || this.child.pid === undefined) return null;
    try {
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? null : Number(kb) * 1024;
    } catch {
      return null;
    }
  }

  /** Starts `module` (a path relative to this folder's parent, e.g. 'oauth/tijori-server.ts') and waits for `ready`. */
  static async start(
    name: string,
    module: string,
    options: { env?: Record<string, string>; nodeOptions?: string[]; timeoutMs?: number } = {},
  ): Promise<{ child: BenchChild; ready: ChildMessage }> {
    // Generous: a Tijori server migrates a fresh database (PGlite's is slow) on a machine that may be saturated.
    const { env = {}, nodeOptions = [], timeoutMs = 180_000 } = options;
    const file = fileURLToPath(new URL(`../${module}`, import.meta.url));
    const proc = fork(file, [], {
      execArgv: [...nodeOptions, '--import', import.meta.resolve('tsx')],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const child = new BenchChild(name, proc);
    const ready = await child.expect('ready', timeoutMs);
    return { child, ready };
  }

  /** Waits for the next message of `type`. */
  expect(type: string, timeoutMs = 120_000): Promise<ChildMessage> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running\n${this.output}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms\n${this.output}`));
      }, timeoutMs);
      const waiter = {
        type,
        resolve: (m: ChildMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends `message` and waits for the reply of type `replyType`. */
  async request(message: Record<string, unknown>, replyType: string, timeoutMs?: number): Promise<ChildMessage> {
    const reply = this.expect(replyType, timeoutMs);
    this.child.send(message);
    return reply;
  }

  /** Asks the child to shut down cleanly; kills it (this child only) if it does not within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.send({ type: 'stop' });
    } catch {
      // The channel is already closed; the kill below still applies.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** For the child side: reply over IPC. */
export function send(message: Record<string, unknown>): void {
  process.send?.(message);
}

/** For the child side: run `onStop` when the parent says stop or the IPC channel closes, then exit. */
export function onStop(onStopFn: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    onStopFn()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * For the child side: answer `stats` with the event-loop utilisation so far and whatever `extra`
 * adds (the parent diffs two answers around a timed run).
 */
export function serveStats(extra: () => Record<string, unknown> = () => ({})): void {
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stats') send({ type: 'stats', elu: performance.eventLoopUtilization(), ...extra() });
  });
}

/** Event-loop utilisation between two `stats` answers (0..1). */
export function eluBetween(before: unknown, after: unknown): number {
  const a = before as EventLoopUtilization;
  const b = after as EventLoopUtilization;
  const active = b.active - a.active;
  const idle = b.idle - a.idle;
  return active + idle > 0 ? active / (active + idle) : 0;
}
