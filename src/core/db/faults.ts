/**
 * Test-only fault injection in the database wrapper (ADR 0046): the k-th statement sent after
 * `arm(k)` throws a real error where the driver would have been called, as a lost connection or a
 * failed COMMIT would. The proof suite test/proof/faults.test.ts arms it for each k of a request
 * to show that a 5xx commits nothing.
 *
 * Only tests can reach it: `openDatabase` takes a `StatementFaults` made here, and
 * .dependency-cruiser.cjs lets nothing but the engine and test code import this module, so no
 * configuration, flag or environment variable of the product can turn it on.
 *
 * Every statement of the database is counted (BEGIN and COMMIT included), except a ROLLBACK:
 * that is the recovery path, and a ROLLBACK that failed would leave a pooled connection inside an
 * aborted transaction, which is a different fault (a broken connection) from the one injected.
 */
export interface StatementFaults {
  /** Counts statements from 0 again; the `at`-th from now (1-based) throws. `null`: count only. */
  arm(at: number | null): void;
  /** Stops injecting (the count goes on). */
  disarm(): void;
  /** Statements counted since the last `arm`. */
  readonly counted: number;
  /** Whether the armed statement was reached (and threw) since the last `arm`. */
  readonly fired: boolean;
  /** The start of each statement's text since the last `arm`, for a failing test's message. */
  readonly trail: readonly string[];
  /** Called by the engine before each statement: the error to throw instead of sending it, if any. */
  next(statement: unknown): Error | undefined;
}

/** The error an injected fault raises: SQLSTATE XX000 (internal_error), never a retryable one. */
export class InjectedFault extends Error {
  readonly code = 'XX000';
  constructor(readonly statement: number) {
    super(`injected fault: statement ${statement} of the request failed`);
    this.name = 'InjectedFault';
  }
}

export function createStatementFaults(): StatementFaults {
  let at: number | null = null;
  let counted = 0;
  let fired = false;
  let trail: string[] = [];
  return {
    arm(k) {
      if (k !== null && (!Number.isInteger(k) || k < 1)) throw new RangeError('a fault is armed at a statement number from 1');
      at = k;
      counted = 0;
      fired = false;
      trail = [];
    },
    disarm() {
      at = null;
    },
    get counted() {
      return counted;
    },
    get fired() {
      return fired;
    },
    get trail() {
      return trail;
    },
    next(statement) {
      counted++;
      trail.push(textOf(statement)?.replace(/\s+/g, ' ').slice(0, 80) ?? '?');
      if (at === null || counted !== at) return undefined;
      fired = true;
      return new InjectedFault(counted);
    },
  };
}

/** Whether a statement text is a ROLLBACK (or ROLLBACK TO SAVEPOINT): never failed by injection. */
export function isRollback(statement: unknown): boolean {
  return /^\s*rollback\b/i.test(textOf(statement) ?? '');
}

/** The SQL text of a driver call's first argument: a string, or a query config `{ text }`. */
function textOf(statement: unknown): string | undefined {
  const text = typeof statement === 'string' ? statement : (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}
