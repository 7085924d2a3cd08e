import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './core/db/data-dir-lock.js';
import { AppError } from './core/errors/app-error.js';
import { cliOf, ListenError, type Cli, type CliIo } from './cli/io.js';
import { OPTIONS, USAGE, type Values } from './cli/options.js';
import { parseArgsProblem, subcommandProblem, unknownCommand } from './cli/suggest.js';

export { OPTIONS } from './cli/options.js';
export type { CliIo } from './cli/io.js';

/**
 * The `tijori` command. This module imports only the flags, the configuration and the error
 * classes: each command loads what it needs when it runs, so that `tijori --help` or a bad flag
 * answers at once and the admin commands never load fastify (ADR 0032).
 */

type Command = (sub: string | undefined, values: Values, config: ReturnType<typeof loadConfig>, cli: Cli, args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => {
    const { serve } = await import('./cli/serve.js');
    return (_sub, _values, config, cli) => serve(config, 'start', cli, run);
  },
  worker: async () => {
    const { serve } = await import('./cli/serve.js');
    return (_sub, _values, config, cli) => serve(config, 'worker', cli, run);
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
  verify: async () => (await import('./cli/verify.js')).verify,
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
    const [command, sub, ...args] = positionals;
    if (values.help || command === undefined || command === 'help') {
      cli.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) {
      cli.io.stderr(unknownCommand(command, Object.keys(COMMANDS)));
      return 2;
    }
    const problem = subcommandProblem(command, sub);
    if (problem) {
      cli.io.stderr(problem);
      return 2;
    }
    if (cli.io.server && !FORWARDED.has(command) && command !== 'verify') {
      cli.io.stderr(`tijori: a running server's admin channel runs only ${[...FORWARDED, 'verify'].join(', ')} (not "${command}")\n`);
      return 2;
    }
    const config = loadConfig(values as Record<string, string | boolean | undefined>, cli.io.env);
    // On the embedded database a running server holds the folder: an admin command runs in it (ADR 0040).
    if (FORWARDED.has(command) && !config.databaseUrl && !cli.io.server) {
      const { forwardToServer } = await import('./cli/admin-channel.js');
      const answer = await forwardToServer(config.dataDir, argv);
      if (answer) {
        cli.io.stdout(answer.stdout);
        cli.io.stderr(answer.stderr);
        return answer.code;
      }
    }
    return await (
      await load()
    )(sub, values, config, cli, args);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      cli.io.stderr(parseArgsProblem(err as Error));
      return 2;
    }
    if (err instanceof ConfigError) {
      cli.io.stderr(`tijori: ${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof DataDirLockedError || err instanceof AppError || err instanceof ListenError) {
      cli.io.stderr(`tijori: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * The admin commands: on the embedded database, a running server on the folder runs them (ADR 0040).
 * `verify` also runs in a server, but asks it step by step itself (src/cli/verify.ts): its file
 * is read where the command runs and its progress is shown as the rows run.
 */
const FORWARDED = new Set(['company', 'user', 'client', 'ledger', 'merchant-key', 'bbps', 'settlement']);

/** bin/tijori.js: `run` on the process's own streams, timed from the process's start. */
export function main(argv: string[]): Promise<number> {
  return run(argv, { startedAtMs: 0 });
}
