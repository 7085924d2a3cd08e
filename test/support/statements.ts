import type { Database } from '../../src/core/db/engine.js';

/**
 * The statements `fn` sent to the database (BEGIN and COMMIT included), for statement-budget tests.
 * A count, not a time: nothing else may use the database while `fn` runs (stop background workers
 * first, or give the app `background: { workers: false, timerPollMs: null }`).
 */
export async function countStatements<T>(database: Database, fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = database.statements();
  const result = await fn();
  return { result, statements: database.statements() - before };
}
