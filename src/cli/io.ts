import { ConfigError } from '../config.js';
import type { Services } from '../app.js';
import type { Database } from '../core/db/engine.js';
import type { Values } from './options.js';

/**
 * Where a run of the `tijori` command writes and what it reads: the process's own streams and
 * environment for bin/tijori.js, writers of a test's own for an in-process run (test/e2e/cli.test.ts).
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /**
   * `start` and `worker` serve until this aborts; without one, until SIGINT or SIGTERM. An
   * in-process run passes one so that it can stop the server it started.
   */
  signal?: AbortSignal;
  /** performance.now() at the command's start, for the "started in" line (bin/tijori.js: 0, the process's start). */
  startedAtMs?: number;
  /**
   * Set when a running server runs the command for a `tijori` in another process (the admin
   * channel, ADR 0040): the command uses the server's database and services instead of opening
   * the data folder, which the server holds.
   */
  server?: { database: Database; services: Services };
}

/** What a command gets: the io, and line writers on it. */
export interface Cli {
  io: CliIo;
  /** A line on stdout: the command's answer (banner, ids, the secret printed once). */
  out(line?: string): void;
  /** A progress line on stderr ("tijori: applying migrations…"), so that stdout stays the command's answer. */
  progress(line: string): void;
  /** Milliseconds since the command started. */
  elapsedMs(): number;
}

export function cliOf(io: CliIo): Cli {
  const startedAtMs = io.startedAtMs ?? performance.now();
  return {
    io,
    out: (line = '') => io.stdout(`${line}\n`),
    progress: (line) => io.stderr(`tijori: ${line}\n`),
    elapsedMs: () => performance.now() - startedAtMs,
  };
}

export function required(values: Values, name: keyof Values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new ConfigError(`--${String(name)} is required`);
  return v;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The server cannot listen where it was told (a port in use, a host that is not this machine's): exit 1, one line. */
export class ListenError extends Error {}
