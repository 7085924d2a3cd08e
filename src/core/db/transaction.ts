import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './engine.js';

/** SQLSTATEs after which a whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in one database transaction and retries it a bounded number of times (with jitter)
 * when PostgreSQL aborts it for a serialization failure or a deadlock. `fn` must therefore be
 * free of side effects outside the transaction (no HTTP, no timers): a rail call happens after
 * the commit (DESIGN.md, request flow), and what must follow the commit is an `afterCommit`
 * action, whose failure never undoes or fails the committed work (ADR 0046).
 */
export async function withTransaction<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let committed: AfterCommit[] | undefined;
    let result: T;
    try {
      result = await db.transaction(async (open) => {
        const tx = open as unknown as Executor;
        const mine: AfterCommit[] = [];
        commitHooks.set(tx, mine);
        const value = await fn(tx);
        committed = mine;
        return value;
      });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      continue;
    }
    await runAfterCommit(committed ?? []);
    return result;
  }
}

/**
 * What a transaction does once it has committed (ADR 0028, 0046): learn a durable fact into an
 * in-process memo, wake a dispatcher, deliver at once what the outbox holds. A hook registered in a
 * transaction that rolls back (or in one not opened by `withTransaction`) never runs, so such a
 * memo can only miss, never lie. A hook may be async; hooks run in order, each awaited, and one
 * that throws is reported (`setAfterCommitErrorReporter`) and skipped: the work committed, so the
 * caller gets its result, never the hook's error.
 */
export type AfterCommit = () => unknown;

const commitHooks = new WeakMap<Executor, AfterCommit[]>();

/** Runs `fn` after `tx` commits, if `tx` was opened by `withTransaction`; else never. */
export function afterCommit(tx: Executor, fn: AfterCommit): void {
  commitHooks.get(tx)?.push(fn);
}

/**
 * Runs actions that follow a commit, as `withTransaction` runs its hooks: each awaited, a failure
 * reported and skipped. For work committed by a statement outside `withTransaction` (a single
 * auto-committed statement) whose follow-up must not fail the request either.
 */
export async function runAfterCommit(actions: readonly AfterCommit[]): Promise<void> {
  for (const action of actions) {
    try {
      await action();
    } catch (err) {
      reportAfterCommitFailure(err);
    }
  }
}

/** Reports a failure that followed a commit (and so does not fail the request) to the app's logger. */
export function reportAfterCommitFailure(err: unknown): void {
  try {
    reportAfterCommitError(err);
  } catch {
    // A reporter that throws must not turn the committed result into an error either.
  }
}

let reportAfterCommitError: (err: unknown) => void = (err) => {
  process.stderr.write(`${JSON.stringify({ level: 50, msg: 'after-commit action failed', err: err instanceof Error ? err.message : String(err) })}\n`);
};

/** Where a failed after-commit action is reported: the app's logger (src/app.ts); stderr until one is set. */
export function setAfterCommitErrorReporter(report: (err: unknown) => void): void {
  reportAfterCommitError = report;
}

/** The SQLSTATE of a driver error, also when Drizzle wraps it (`e.cause.code`). */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The constraint a unique violation (23505) broke, so a repository can map it to a domain error. */
export function uniqueViolation(err: unknown): string | undefined {
  if (sqlState(err) !== '23505') return undefined;
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/**
 * A `$1…$n` statement (as a library such as pg-boss writes it) as a Drizzle SQL object, so it can
 * run on any Executor, including an open transaction.
 */
export function rawSql(text: string, values: readonly unknown[] = []): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)));
    // pg-boss passes undefined for unset options; as a parameter that is SQL NULL.
    chunks.push(sql`${values[Number(match[1]) - 1] ?? null}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks, sql.raw(''));
}

/** The rows of `exec.execute(...)` on either driver. */
export async function queryRows<T>(exec: Executor, query: SQL): Promise<T[]> {
  const result = (await exec.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
