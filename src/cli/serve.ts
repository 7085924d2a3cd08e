import type { Config } from '../config.js';
import type { Database } from '../core/db/engine.js';
import net from 'node:net';
import { openConfigured } from './database.js';
import { formatSeconds, ListenError, type Cli, type CliIo } from './io.js';

/**
 * `start` serves HTTP (and, unless --no-workers, runs the background work); `worker` runs only
 * the background work: job workers and the sandbox-timer poller, from the same composition root.
 * Each phase says itself on stderr; the banner on stdout follows once the port is listening.
 */
export async function serve(config: Config, mode: 'start' | 'worker', cli: Cli, run: (argv: string[], io: Partial<CliIo>) => Promise<number>): Promise<number> {
  // A port in use or a host of another machine is said now, before the database is opened or migrated.
  if (mode === 'start') await canListen(config.host, config.port);
  // The app's modules (fastify, the routes, pg-boss: a second or more to load) load while the
  // database opens (PGlite's WebAssembly compiles on other threads).
  const loading = Promise.all([import('../app.js'), import('../auth/seed.js'), import('../core/clock/clock.js'), import('../core/log/logger.js')]);
  loading.catch(() => undefined);
  const database = await openConfigured(config, cli, true);
  let app: Awaited<ReturnType<(typeof import('../app.js'))['buildApp']>>['app'] | undefined;
  let channel: { close(): Promise<void> } | undefined;
  try {
    const [{ buildApp, VERSION }, { SANDBOX, seedSandbox }, { systemClock }, { createLogger }] = await loading;
    const logger = createLogger(config.logLevel);
    cli.progress('building the app…');
    const background = mode === 'worker' ? { workers: true, timerPollMs: config.timerPollMs } : undefined;
    const built = await buildApp({ config, database, clock: systemClock, logger, ...(background ? { background } : {}) });
    app = built.app;
    if (mode === 'start') {
      if (config.seed) {
        cli.progress('seeding the sandbox company…');
        await seedSandbox(built.services);
        const { fundSandboxPayouts } = await import('../products/payouts/sandbox-funds.js');
        await fundSandboxPayouts(built.services.payouts, SANDBOX.companyId);
      }
      cli.progress(`starting ${config.workers ? 'job workers and ' : ''}the HTTP server…`);
      const address = await app.listen({ port: config.port, host: config.host }).catch((err: unknown) => {
        throw listenError(err, config.host, config.port);
      });
      if (database.kind === 'pglite') {
        const { openAdminChannel } = await import('./admin-channel.js');
        const services = built.services;
        channel = await openAdminChannel(config.dataDir, (argv) => runForAnotherProcess(run, argv, { database, services }));
      }
      cli.progress(`listening (started in ${formatSeconds(cli.elapsedMs())})`);
      printBanner(cli, VERSION, config, database, address.replace('[::1]', 'localhost'), config.seed ? SANDBOX : undefined);
    } else {
      cli.progress('starting job workers and sandbox timers…');
      await app.ready();
      cli.progress(`running (started in ${formatSeconds(cli.elapsedMs())})`);
      cli.out(`Tijori ${VERSION} worker is running (${describe(config, database)})`);
    }
    await stopped(cli, (signal) => logger.info({ signal }, 'shutting down'));
    return 0;
  } finally {
    // Also when the start fails (a port in use): the data-folder lock and the pool are released.
    await channel?.close();
    await app?.close();
    await database.close();
  }
}

/** An admin command of another `tijori` process, run here on this server's database and services (ADR 0040). */
async function runForAnotherProcess(
  run: (argv: string[], io: Partial<CliIo>) => Promise<number>,
  argv: string[],
  server: NonNullable<CliIo['server']>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {}, server });
  return { code, stdout, stderr };
}

/** Listens on host:port for a moment (port 0, any free port, always can). */
async function canListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((err: unknown) => {
    throw listenError(err, host, port);
  });
}

/** A listen failure in one line that says what to do; other errors as they are. */
function listenError(err: unknown, host: string, port: number): unknown {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ListenError(`port ${port} on ${host} is in use (another Tijori, or another server); stop it, or choose another port with --port or PORT`);
    case 'EACCES':
      return new ListenError(`port ${port} on ${host} needs privileges this user does not have; choose a port above 1023 with --port or PORT`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ListenError(`cannot listen on "${host}": no such host; set --host or HOST to an address of this machine (127.0.0.1, 0.0.0.0)`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`cannot listen on "${host}": not an address of this machine; set --host or HOST to one (127.0.0.1, 0.0.0.0)`);
    default:
      return err;
  }
}

/** Resolves on SIGINT or SIGTERM, or when the in-process caller's signal aborts. */
function stopped(cli: Cli, log: (signal: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const { signal } = cli.io;
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = (name: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log(name);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function describe(config: Config, database: Database): string {
  return database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : `PostgreSQL ${database.location}`;
}

interface Sandbox {
  companyId: string;
  clientSecret: string;
  username: string;
  password: string;
  merchantAccessKey: string;
  merchantSecretKey: string;
}

function printBanner(cli: Cli, version: string, config: Config, database: Database, base: string, sandbox: Sandbox | undefined): void {
  const { out } = cli;
  out(`Tijori ${version} is listening`);
  out(`  API            ${base}`);
  out(`  API reference  ${base}/docs   (OpenAPI: ${base}/openapi.json)`);
  out(`  Database       ${describe(config, database)}`);
  if (sandbox) {
    out('  Sandbox company (portal page test data):');
    out(`    clientId       ${sandbox.companyId}`);
    out(`    client secret  ${sandbox.clientSecret}`);
    out(`    username       ${sandbox.username}`);
    out(`    password       ${sandbox.password}`);
    out('  Payment Gateway merchant keys (POST /api/v0/merchant/token):');
    out(`    accessKey      ${sandbox.merchantAccessKey}`);
    out(`    secretKey      ${sandbox.merchantSecretKey}`);
    out(`  Test data      ${base}/sandbox/test-data   (cards, UPI IDs, banks; the payout balance starts at ₹10,00,000)`);
  }
  out('  Admin          tijori --help (node bin/tijori.js); the admin commands work while this server runs. Ctrl-C stops it.');
}
