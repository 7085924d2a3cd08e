import { run } from '../../src/main.js';
import { childEnv, tempDir, type CliResult } from './process.js';

/**
 * The `tijori` command run in this process: `run(argv, io)` of src/main.ts with writers of its own,
 * the environment a spawned `tijori` would get (test/support/process.ts's childEnv, quiet logs,
 * and a temporary default data folder), and the exit code returned. test/e2e/cli.test.ts drives the
 * commands this way; a few smoke tests there still spawn bin/tijori.js.
 */

export interface InProcessOptions {
  /** Variables to set (or, with undefined, remove) on top of childEnv(). */
  env?: Record<string, string | undefined>;
}

function envFor(options: InProcessOptions): NodeJS.ProcessEnv {
  return childEnv({ LOG_LEVEL: 'warn', TIJORI_DATA_DIR: tempDir('tijori-cwd-'), ...options.env });
}

/** As bin/tijori.js does: an error the command does not map to an exit code is printed and exits 1. */
async function settle(running: Promise<number>, stderr: (text: string) => void): Promise<number> {
  try {
    return await running;
  } catch (err) {
    stderr(`tijori: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Runs `tijori <args>` to completion in this process. */
export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const write = (text: string) => (stderr += text);
  const code = await settle(run(args, { stdout: (text) => (stdout += text), stderr: write, env: envFor(options) }), write);
  return { code, signal: null, stdout, stderr };
}

export interface InProcessServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Stops the server as SIGTERM would, and resolves with the command's exit code. */
  stop(): Promise<number>;
}

/**
 * `tijori start --port 0 --host 127.0.0.1 [--data-dir D] [args]` in this process, resolved once the
 * banner is out (its API line names the port the server got).
 */
export async function startInProcess(options: InProcessOptions & { dataDir?: string; args?: string[]; timeoutMs?: number } = {}): Promise<InProcessServer> {
  const output = { stdout: '', stderr: '' };
  const controller = new AbortController();
  const args = ['start', '--port', '0', '--host', '127.0.0.1', ...(options.dataDir ? ['--data-dir', options.dataDir] : []), ...(options.args ?? [])];
  const write = (text: string) => (output.stderr += text);
  let exit: number | undefined;
  const running = settle(run(args, { stdout: (text) => (output.stdout += text), stderr: write, env: envFor(options), signal: controller.signal }), write).then(
    (code) => (exit = code),
  );
  const until = Date.now() + (options.timeoutMs ?? 60_000);
  let url: string | undefined;
  while (!(url = /is listening\n {2}API +(http:\/\/\S+)\n/.exec(output.stdout)?.[1])) {
    if (exit !== undefined || Date.now() > until) {
      controller.abort();
      await running;
      throw new Error(
        `tijori start ${exit === undefined ? 'did not listen in time' : `exited (${exit})`}\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    url,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    stop: async () => {
      controller.abort();
      return running;
    },
  };
}
