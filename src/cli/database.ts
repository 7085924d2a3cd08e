import type { Config } from '../config.js';
import { openDatabase, type Database } from '../core/db/engine.js';
import type { Cli } from './io.js';
import { createFromTemplate } from './pglite-template.js';

/**
 * Opens the configured database and applies the migrations, saying each step on stderr when
 * `progress` is on (`start`, `worker`, `migrate`). A new embedded data folder is made from the
 * migrated template when there is a current one (ADR 0032).
 */
export async function openConfigured(config: Config, cli: Cli, progress = false): Promise<Database> {
  const say = progress ? cli.progress : () => undefined;
  let database: Database;
  if (config.databaseUrl) {
    database = await openDatabase({ kind: 'postgres', url: config.databaseUrl });
    say(`connected to PostgreSQL ${database.location}`);
  } else {
    const made = createFromTemplate(config.dataDir);
    if (made === 'no-template') {
      say(`creating the embedded database in ${config.dataDir} (initdb, then every migration: slow without the template that \`npm run build\` makes)…`);
    } else {
      say(
        `${made === 'created' ? 'created the embedded database from the migrated template; opening it' : 'opening the embedded database'} in ${config.dataDir}…`,
      );
    }
    database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  }
  try {
    say('applying migrations…');
    await database.migrate();
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Runs `fn` on the configured database, or on the server's when a running server runs the command (ADR 0040). */
export async function withDatabase<T>(config: Config, cli: Cli, fn: (db: Database) => Promise<T>): Promise<T> {
  if (cli.io.server) return fn(cli.io.server.database);
  const database = await openConfigured(config, cli);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
