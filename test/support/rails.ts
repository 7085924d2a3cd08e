import type { Executor } from '../../src/core/db/engine.js';
import type { SandboxClock, Timer, Timers } from '../../src/core/jobs/types.js';

/**
 * An in-memory sandbox clock and timer table for the rails' unit tests: it keeps the Timers
 * contract (dedupe per company and key; firing in (dueAt, creation) order when the clock advances)
 * without a database, so that deciding and scheduling outcomes can be tested apart from storage.
 * Integration tests use the real timers (createTestApp's services).
 */
export class InMemorySandbox implements Timers, SandboxClock {
  private nowMs: number;
  private seq = 0;
  readonly timers: Array<Timer<any> & { dedupeKey?: string; seq: number; fired: boolean }> = [];
  private readonly handlers = new Map<string, (timer: Timer<any>) => Promise<void>>();

  constructor(start = new Date('2026-11-27T10:07:00.000Z')) {
    this.nowMs = start.getTime();
  }

  async now(): Promise<Date> {
    return new Date(this.nowMs);
  }

  at(): Date {
    return new Date(this.nowMs);
  }

  async schedule(_tx: Executor, t: { companyId: string; dueAt: Date; kind: string; payload: object; dedupeKey?: string }): Promise<void> {
    if (t.dedupeKey !== undefined && this.timers.some((x) => x.companyId === t.companyId && x.dedupeKey === t.dedupeKey)) return;
    this.seq += 1;
    this.timers.push({ id: `tmr_${this.seq}`, companyId: t.companyId, dueAt: t.dueAt, kind: t.kind, payload: JSON.parse(JSON.stringify(t.payload)), ...(t.dedupeKey ? { dedupeKey: t.dedupeKey } : {}), seq: this.seq, fired: false });
  }

  register<P>(kind: string, handler: (timer: Timer<P>) => Promise<void>): void {
    if (this.handlers.has(kind)) throw new Error(`handler for ${kind} already registered`);
    this.handlers.set(kind, handler as (timer: Timer<any>) => Promise<void>);
  }

  /** Pending timers, in firing order. */
  pending(): Array<Timer<any>> {
    return this.timers.filter((t) => !t.fired).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.seq - b.seq);
  }

  /** Moves the clock forward and runs every timer due by then, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      const next = this.pending()[0] as (Timer<any> & { fired: boolean }) | undefined;
      if (!next || next.dueAt.getTime() > target) break;
      this.nowMs = Math.max(this.nowMs, next.dueAt.getTime());
      const handler = this.handlers.get(next.kind);
      if (!handler) throw new Error(`no handler for ${next.kind}`);
      await handler(next);
      next.fired = true;
    }
    this.nowMs = target;
  }
}

/** An executor for rail calls that touch no table (the in-memory timers ignore it). */
export const NO_DATABASE = undefined as unknown as Executor;
