import { performance } from 'node:perf_hooks';
import { startServer, type Server } from '../support/process.js';

/**
 * The real `tijori start` under the crash test: started, SIGKILLed and started again on the same
 * store. Clients ask `url()` before every attempt, so they wait while the server is down instead
 * of spinning on refused connections.
 */
export class CrashServer {
  private server: Server | undefined;
  private up: Promise<string>;
  private markUp!: (url: string) => void;
  /** Milliseconds from each SIGKILL to /ready answering 200 on the new process. */
  readonly restartMs: number[] = [];
  kills = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly dataDir: string | undefined,
  ) {
    this.up = this.downGate();
  }

  private downGate(): Promise<string> {
    return new Promise((resolve) => (this.markUp = resolve));
  }

  /** The base URL of the running server, once it is ready. */
  url(): Promise<string> {
    return this.up;
  }

  /** The stdout and stderr tail of the current process, for a failure message. */
  output(): string {
    return this.server ? `stdout:\n${this.server.stdout.slice(-3000)}\nstderr:\n${this.server.stderr.slice(-3000)}` : '(no server)';
  }

  async start(): Promise<void> {
    this.server = await startServer({ env: this.env, ...(this.dataDir ? { dataDir: this.dataDir } : {}), timeoutMs: 120_000 });
    // The banner is printed once listening; /ready also proves the database answers.
    await waitReady(this.server.url);
    this.markUp(this.server.url);
  }

  /** SIGKILL, then start again; records the restart-to-ready time. */
  async killAndRestart(): Promise<void> {
    const t0 = performance.now();
    this.up = this.downGate();
    await this.server!.stop('SIGKILL');
    this.kills++;
    await this.start();
    this.restartMs.push(performance.now() - t0);
  }

  async stop(): Promise<void> {
    this.up = this.downGate();
    await this.server?.stop('SIGTERM');
    this.server = undefined;
  }
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet or not answering: try again.
    }
    if (Date.now() > until) throw new Error(`${url}/ready did not answer 200 within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
