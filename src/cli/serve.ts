import type { Config } from '../config.js';
import type { Database } from '../core/db/engine.js';
import { openConfigured } from './database.js';
import { formatSeconds, type Cli } from './io.js';

/**
 * `start` serves HTTP (and, unless --no-workers, runs the background work); `worker` runs only
 * the background work: job workers and the sandbox-timer poller, from the same composition root.
 * Each phase says itself on stderr; the banner on stdout follows once the port is listening.
 */
export async function serve(config: Config, mode: 'start' | 'worker', cli: Cli): Promise<number> {
  // The app's modules (fastify, the routes, pg-boss: a second or more to load) load while the
  // database opens (PGlite's WebAssembly compiles on other threads).
  const loading = Promise.all([import('../app.js'), import('../auth/seed.js'), import('../core/clock/clock.js'), import('../core/log/logger.js')]);
  loading.catch(() => undefined);
  const database = await openConfigured(config, cli, true);
  let app: Awaited<ReturnType<(typeof import('../app.js'))['buildApp']>>['app'] | undefined;
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
      }
      cli.progress(`starting ${config.workers ? 'job workers and ' : ''}the HTTP server…`);
      const address = await app.listen({ port: config.port, host: config.host });
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
    await app?.close();
    await database.close();
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
  }
}
