import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './core/db/data-dir-lock.js';
import { AppError } from './core/errors/app-error.js';
import { cliOf, type Cli, type CliIo } from './cli/io.js';
import { OPTIONS, USAGE, type Values } from './cli/options.js';

export { OPTIONS } from './cli/options.js';
export type { CliIo } from './cli/io.js';

/**
 * The `tijori` command. This module imports only the flags, the configuration and the error
 * classes: each command loads what it needs when it runs, so that `tijori --help` or a bad flag
 * answers at once and the admin commands never load fastify (ADR 0032).
 */

type Command = (sub: string | undefined, values: Values, config: ReturnType<typeof loadConfig>, cli: Cli) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => {
    const { serve } = await import('./cli/serve.js');
    return (_sub, _values, config, cli) => serve(config, 'start', cli);
  },
  worker: async () => {
    const { serve } = await import('./cli/serve.js');
    return (_sub, _values, config, cli) => serve(config, 'worker', cli);
  },
  migrate: async () => {
    const { openConfigured } = await import('./cli/database.js');
    return async (_sub, _values, config, cli) => {
      const database = await openConfigured(config, cli, true);
      try {
        cli.out(`Migrations applied (${database.kind === 'pglite' ? config.dataDir : database.location})`);
      } finally {
        await database.close();
      }
      return 0;
    };
  },
  company: async () => (await import('./cli/admin.js')).admin.bind(null, 'company'),
  user: async () => (await import('./cli/admin.js')).admin.bind(null, 'user'),
  client: async () => (await import('./cli/admin.js')).admin.bind(null, 'client'),
  ledger: async () => (await import('./cli/operations.js')).ledger,
  'merchant-key': async () => (await import('./cli/operations.js')).merchantKeys,
  bbps: async () => (await import('./cli/operations.js')).bbps,
  settlement: async () => (await import('./cli/operations.js')).settlement,
};

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/**
 * Runs `tijori <argv>` and returns its exit code; never exits the process. `io` replaces the
 * process's streams and environment (an in-process run: test/e2e/cli.test.ts); an `io.signal`
 * stops `start` and `worker`.
 */
export async function run(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli = cliOf({ ...PROCESS_IO, ...io });
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, sub] = positionals;
    if (values.help || command === undefined || command === 'help') {
      cli.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const config = loadConfig(values as Record<string, string | boolean | undefined>, cli.io.env);
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) {
      cli.io.stderr(`tijori: unknown command "${command}"\n\n${USAGE}`);
      return 2;
    }
    return await (
      await load()
    )(sub, values, config, cli);
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      cli.io.stderr(`tijori: ${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof DataDirLockedError || err instanceof AppError || (err as { code?: string }).code === 'EADDRINUSE') {
      cli.io.stderr(`tijori: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/** bin/tijori.js: `run` on the process's own streams, timed from the process's start. */
export function main(argv: string[]): Promise<number> {
  return run(argv, { startedAtMs: 0 });
}
