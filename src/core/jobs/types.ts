import type { SQL } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import type { SandboxClock as SandboxClockService } from '../clock/sandbox-clock.js';

/**
 * Background jobs (pg-boss underneath). `enqueue` takes the caller's transaction, so a job exists
 * exactly when the state change that caused it committed. A handler may run more than once (a
 * process can die after the work and before the acknowledgement): handlers are idempotent.
 */
export interface JobQueue {
  enqueue(tx: Executor, name: string, data: object, options?: { singletonKey?: string; retryLimit?: number }): Promise<void>;
  /** Registers the handler of a queue; workers of this process start polling it. */
  work<T extends object>(name: string, handler: (data: T, job: { id: string }) => Promise<void>): Promise<void>;
  /** Tells this process's worker of `name` to look now instead of at its next poll (call after a commit). */
  wake(name: string): void;
}

/** A timer on a company's sandbox clock. */
export interface Timer<P = unknown> {
  id: string;
  companyId: string;
  /** Sandbox time at which it is due. */
  dueAt: Date;
  kind: string;
  payload: P;
}

/**
 * Timers on sandbox time. A timer fires when its company's sandbox clock reaches `dueAt`, whether
 * real time passes or the clock is advanced; timers of one company fire in (dueAt, creation)
 * order, and an advance returns after every timer due by its target has run. A handler runs
 * outside any transaction (it may call a rail or deliver a webhook), at least once: if the process
 * dies mid-handler, the timer fires again after its lease.
 */
/** A timer to schedule. A repeated `dedupeKey` (per company) is ignored. */
export interface NewTimer {
  companyId: string;
  dueAt: Date;
  kind: string;
  payload: object;
  dedupeKey?: string;
}

export interface Timers {
  /** Schedules in the caller's transaction. A repeated `dedupeKey` (per company) is ignored. */
  schedule(tx: Executor, timer: NewTimer): Promise<void>;
  /**
   * The statement that schedules `timer`, for a caller that sends it inside a statement of its own
   * (a writable CTE, ADR 0028); the runner counts the timer as scheduled.
   */
  scheduleStatement(timer: NewTimer): SQL;
  register<P>(kind: string, handler: (timer: Timer<P>) => Promise<void>): void;
}

/**
 * What domain code uses of a company's sandbox clock (`SandboxClock` of
 * src/core/clock/sandbox-clock.ts, the one interface): its time.
 */
export type SandboxClock = Pick<SandboxClockService, 'now'>;
