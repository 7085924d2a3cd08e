import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { SETTINGS } from '../../src/config.js';
import { createScratchDatabase } from './app.js';

/**
 * The real `tijori` command in child processes: `node bin/tijori.js <args>` on the compiled dist/
 * (built by test/support/global-setup.ts), with a temporary data folder and a free port.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'tijori.js');

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

// A test worker that dies must not leave servers holding ports and data folders.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function assertBuilt(): void {
  // Outside vitest (the crash test's own script, which builds dist/ before it runs) there is no
  // global setup to ask.
  if (!process.env['VITEST']) return;
  const error = inject('tijoriBuildError');
  if (error) throw new Error(`dist/ is not current, so bin/tijori.js cannot be tested.\n${error}`);
}

/**
 * The environment of a child: this process's, less every Tijori setting (so a developer's PORT or
 * DATABASE_URL does not leak in) and NODE_OPTIONS, plus `overrides` (undefined removes a variable).
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const s of SETTINGS) delete env[s.env];
  delete env['NODE_OPTIONS'];
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** A new empty folder under the system temp folder, removed by cleanup(). */
export function tempDir(prefix = 'tijori-e2e-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A port that was free a moment ago: listen on 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Variables to set (or, with undefined, remove) on top of childEnv(). */
  env?: Record<string, string | undefined>;
  /** Working folder; a fresh temporary one by default, so a default ./data lands there. */
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `tijori <args>` to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir('tijori-cwd-'),
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tijori ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Server {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout matches (the banner is printed in full right after "is listening"). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends the signal and waits for the process to end (SIGKILL after 20 s). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions extends CliOptions {
  /** `start` (the default: ready at the "is listening" banner) or `worker` (ready when it says it runs). */
  command?: 'start' | 'worker';
  /** --data-dir; omit with a DATABASE_URL in env. */
  dataDir?: string;
  /** More arguments after `start --port N --host 127.0.0.1`. */
  args?: string[];
}

class ServerProcess implements Server {
  stdout = '';
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly listeners = new Set<() => void>();
  readonly url: string;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    child.on('close', (code, signal) => {
      this.exit = { code, signal };
      running.delete(child);
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves when `done()` returns a value, rejects after timeoutMs or when the process ends first. */
  private until<T>(done: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = done();
        if (value !== undefined) return finish(() => resolve(value));
        if (this.exit) {
          return finish(() =>
            reject(new Error(`tijori exited (${this.exit!.code ?? this.exit!.signal}) before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)),
          );
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  waitForStdout(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return this.until(() => pattern.exec(this.stdout)?.[0], `stdout to match ${pattern}`, timeoutMs);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const check = () => {
        if (this.exit) {
          this.listeners.delete(check);
          resolve(this.exit);
        }
      };
      this.listeners.add(check);
      check();
    });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    try {
      return await ended;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Starts `tijori start` on a free port and resolves when the "is listening" banner is out.
 * A port taken between freePort() and the listen is retried with another one.
 */
export async function startServer(options: StartOptions = {}): Promise<Server> {
  assertBuilt();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      options.command ?? 'start',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
      ...(options.args ?? []),
    ];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tempDir('tijori-cwd-'),
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const server = new ServerProcess(child, port);
    try {
      await server.waitForStdout(options.command === 'worker' ? /worker is running/ : /is listening\n/, options.timeoutMs ?? 60_000);
      return server;
    } catch (err) {
      await server.stop('SIGKILL');
      if (attempt < 3 && /EADDRINUSE|is in use/.test(server.stderr + server.stdout)) continue;
      throw err;
    }
  }
}

/** Ends every process this module started and removes the temporary folders. Call in afterAll. */
export async function cleanup(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(
    [...running].map(
      (child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve()))),
    ),
  );
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A new empty PostgreSQL database beside TEST_DATABASE_URL (as createTestDatabase makes), not migrated. */
export function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase('tijori_e2e');
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
}

async function read(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  return { status: res.status, headers: res.headers, body };
}

/** POST an application/x-www-form-urlencoded body over real HTTP. */
export async function postForm(url: string, params: Record<string, string>, authorization?: string): Promise<HttpResult> {
  return read(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return read(await fetch(url, { headers }));
}
