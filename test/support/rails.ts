import { createIdentityService, type IdentityService } from '../../src/auth/identity/index.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import { createSandboxClock, type SandboxClock } from '../../src/core/clock/sandbox-clock.js';
import type { Database } from '../../src/core/db/engine.js';
import { createTimers, type TimerRunner } from '../../src/core/jobs/timers.js';
import { createLogger } from '../../src/core/log/logger.js';
import { createRails, type Rails } from '../../src/rails/index.js';
import { createTestDatabase } from './app.js';

/** The services a rail test reaches, under the names the app's `Services` gives them. */
export interface RailServices {
  identity: IdentityService;
  clocks: SandboxClock;
  timers: TimerRunner;
  rails: Rails;
}

export interface TestRails {
  services: RailServices;
  database: Database;
  clock: ManualClock;
  close(): Promise<void>;
}

/**
 * The simulated rails as src/app.ts builds them (the same deps and the default transfer limits),
 * with only what they depend on: the sandbox clock, its timers (sandbox_timers) and companies to
 * own both, on a test database. No HTTP layer, products, job queue or seed: a rail test that
 * needs none of those starts in a fraction of an app's set-up. Timers fire only on an advance.
 */
export async function createTestRails(options: { database?: Database } = {}): Promise<TestRails> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({}, {});
  const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
  const identity = createIdentityService({ db: database.db, clock });
  const clocks = createSandboxClock({ database, clock });
  const timers = createTimers({ db: database.db, clock, clocks, logger: createLogger('silent'), shared: database.kind === 'postgres' });
  const rails = createRails({ timers, clock: clocks }, { bankTransfer: config.transferLimits });
  return {
    services: { identity, clocks, timers, rails },
    database,
    clock,
    close: async () => {
      await timers.stop();
      if (!options.database) await database.close();
    },
  };
}
