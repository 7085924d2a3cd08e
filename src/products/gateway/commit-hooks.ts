import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';

/**
 * What a gateway transaction runs once it has committed, for in-process memos that may only learn
 * a fact when it is durable (ADR 0028): a hook registered in a transaction that rolls back, or in
 * one not opened by `withCommitHooks`, never runs, so such a memo only ever misses.
 */
const hooks = new WeakMap<Executor, (() => void)[]>();

/** Runs `fn` after `tx` commits, if `tx` was opened by `withCommitHooks`; else never. */
export function afterCommit(tx: Executor, fn: () => void): void {
  hooks.get(tx)?.push(fn);
}

/** `withTransaction` (retries included), then the hooks of the attempt that committed. */
export async function withCommitHooks<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  let committed: (() => void)[] = [];
  const result = await withTransaction(db, async (tx) => {
    const mine: (() => void)[] = [];
    hooks.set(tx, mine);
    const value = await fn(tx);
    committed = mine;
    return value;
  });
  for (const hook of committed) hook();
  return result;
}
