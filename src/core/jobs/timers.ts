import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { SandboxClock } from '../clock/sandbox-clock.js';
import { KeyedMutex } from '../concurrency/keyed-mutex.js';
import type { Executor } from '../db/engine.js';
import { queryRows } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import type { Timer, Timers } from './types.js';

export interface TimerSettings {
  /** Real milliseconds a fired timer's handler may run before another runner may take it over. */
  leaseMs: number;
  /** Attempts of a handler that throws before the timer is marked FAILED. */
  maxAttempts: number;
  /** Timers claimed per round. */
  batchSize: number;
}

const DEFAULTS: TimerSettings = { leaseMs: 60_000, maxAttempts: 5, batchSize: 100 };

/** Handlers that keep scheduling timers already due could make an advance spin; this bounds it. */
const MAX_ROUNDS_PER_ADVANCE = 100_000;

interface TimerRow {
  id: string;
  seq: string | number;
  company_id: string;
  due_at: string | Date;
  kind: string;
  payload: string;
  attempts: number;
  /** The company's clock offset when the timer was claimed. */
  offset_ms: string | number;
}

export interface TimerRunner extends Timers {
  /** Runs every timer due now (on each company's sandbox clock); returns how many ran. */
  runDue(companyId?: string): Promise<number>;
  /**
   * Moves a company's clock forward to `target`, stepping through each due timer's instant so that
   * every handler sees its own due time as "now", and returns after all timers due by `target`
   * (including those scheduled on the way) have run.
   */
  advance(companyId: string, target: Date): Promise<{ fired: number }>;
  pending(companyId: string): Promise<{ count: number; nextDueAt: Date | null }>;
  /** Fires due timers every `intervalMs` of real time until `stop()`. */
  startPolling(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createTimers(deps: {
  db: Executor;
  clock: Clock;
  clocks: SandboxClock;
  logger: Logger;
  settings?: Partial<TimerSettings>;
  /**
   * Whether other processes may schedule timers or advance clocks on this database (PostgreSQL).
   * When none can (PGlite), an idle poll before the next due time sends no statement at all.
   */
  shared?: boolean;
}): TimerRunner {
  const { db, clock, clocks, logger } = deps;
  const shared = deps.shared ?? true;
  const settings = { ...DEFAULTS, ...deps.settings };
  const handlers = new Map<string, (timer: Timer) => Promise<void>>();
  // One runner per company at a time in this process keeps a company's timers in order; across
  // processes the claim (FOR UPDATE SKIP LOCKED + lease) guarantees no timer runs twice at once.
  const companyMutex = new KeyedMutex();
  let poller: NodeJS.Timeout | undefined;
  let polling: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // The real instant before which no timer can fall due, as of the last poll; -Infinity when
  // unknown (a timer was scheduled, a clock moved, a handler failed in this process since).
  let quietUntilMs = -Infinity;
  let changes = 0;
  let quietMoves = 0;
  const forgetQuiet = () => {
    changes++;
    quietUntilMs = -Infinity;
  };

  const realIso = () => clock.now().toISOString();

  // A timer is runnable when it is due on its company's clock and either scheduled (and past its
  // retry not-before) or running with an expired lease (its runner died).
  const runnable = (real: string) => sql`
    ((t.status = 'SCHEDULED' and (t.lease_until is null or t.lease_until <= ${real}::timestamptz))
      or (t.status = 'RUNNING' and t.lease_until < ${real}::timestamptz))
    and t.due_at <= ${real}::timestamptz + coalesce(c.offset_ms, 0) * interval '1 millisecond'`;

  /** Claims up to a batch of one company's runnable timers; call it holding the company's mutex. */
  async function claim(companyId: string): Promise<TimerRow[]> {
    const real = realIso();
    const leaseUntil = new Date(Date.parse(real) + settings.leaseMs).toISOString();
    const rows = await queryRows<TimerRow>(
      db,
      sql`update sandbox_timers t
          set status = 'RUNNING', lease_until = ${leaseUntil}::timestamptz, attempts = t.attempts + 1
          from (
            select t.id, coalesce(c.offset_ms, 0) as offset_ms from sandbox_timers t
            left join sandbox_clocks c on c.company_id = t.company_id
            where t.company_id = ${companyId} and t.status in ('SCHEDULED', 'RUNNING') and ${runnable(real)}
            order by t.due_at, t.seq
            limit ${settings.batchSize}
            for update of t skip locked
          ) due
          where t.id = due.id
          returning t.id, t.seq, t.company_id, t.due_at, t.kind, t.payload, t.attempts, due.offset_ms`,
    );
    // A handler must see at least the time that made its timer due, even if this process has not
    // yet heard of the advance (another process's) that did.
    const offset = rows.reduce((max, r) => (BigInt(r.offset_ms) > max ? BigInt(r.offset_ms) : max), 0n);
    if (rows.length > 0) clocks.observe(companyId, offset);
    return rows.sort((a, b) => Date.parse(String(a.due_at)) - Date.parse(String(b.due_at)) || Number(a.seq) - Number(b.seq));
  }

  // The claim counted an attempt: a runner whose lease was taken over (the attempt count moved on)
  // can no longer write the timer's state over the new runner's.
  const held = (row: TimerRow) => sql`id = ${row.id} and status = 'RUNNING' and attempts = ${row.attempts}`;

  async function fire(row: TimerRow): Promise<void> {
    const handler = handlers.get(row.kind);
    const timer: Timer = { id: row.id, companyId: row.company_id, dueAt: new Date(row.due_at), kind: row.kind, payload: JSON.parse(row.payload) as unknown };
    try {
      if (!handler) throw new Error(`no handler is registered for timer kind ${row.kind}`);
      await handler(timer);
      await db.execute(sql`update sandbox_timers set status = 'DONE', fired_at = ${realIso()}::timestamptz, lease_until = null where ${held(row)}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = row.attempts >= settings.maxAttempts || !handler;
      forgetQuiet();
      logger.error({ timerId: row.id, kind: row.kind, attempts: row.attempts, final, err: message }, 'sandbox timer handler failed');
      // A retry waits a little real time (doubling per attempt) so a failing handler cannot spin.
      const notBefore = new Date(clock.now().getTime() + Math.min(60_000, 250 * 2 ** row.attempts)).toISOString();
      await db.execute(
        final
          ? sql`update sandbox_timers set status = 'FAILED', last_error = ${message}, lease_until = null where ${held(row)}`
          : sql`update sandbox_timers set status = 'SCHEDULED', last_error = ${message}, lease_until = ${notBefore}::timestamptz where ${held(row)}`,
      );
    }
  }

  /** Claims and runs one company's due timers, in order, until none is due; call it holding the company's mutex. */
  async function drain(companyId: string): Promise<number> {
    let fired = 0;
    for (;;) {
      const rows = await claim(companyId);
      if (rows.length === 0) return fired;
      for (const row of rows) await fire(row);
      fired += rows.length;
    }
  }

  /**
   * One statement: the companies with a timer runnable now (at most a batch of timers' worth), or,
   * when there is none, the real instant at which the first pending timer falls due. Timers due in
   * real time come from the partial index on due_at (ix_sandbox_timers_pending_due); a company
   * whose clock is ahead is probed through its own index (ix_sandbox_timers_pending) with its
   * offset, once per advanced company.
   */
  async function companiesWithDueTimers(): Promise<{ companies: string[]; nextDueRealMs: number | null }> {
    const real = realIso();
    const lease = sql`((t.status = 'SCHEDULED' and (t.lease_until is null or t.lease_until <= ${real}::timestamptz))
      or (t.status = 'RUNNING' and t.lease_until < ${real}::timestamptz))`;
    const rows = await queryRows<{ company_id: string | null; next_at: string | Date | null }>(
      db,
      sql`with due as (
            (select t.company_id from sandbox_timers t
             where t.status in ('SCHEDULED', 'RUNNING') and t.due_at <= ${real}::timestamptz and ${lease}
             order by t.due_at limit ${settings.batchSize})
            union
            (select c.company_id from sandbox_clocks c
             where c.offset_ms > 0 and exists (
               select 1 from sandbox_timers t
               where t.company_id = c.company_id and t.status in ('SCHEDULED', 'RUNNING')
                 and t.due_at <= ${real}::timestamptz + c.offset_ms * interval '1 millisecond' and ${lease}))
          )
          select company_id, null::timestamptz as next_at from due
          union all
          select null, least(
            (select min(t.due_at) from sandbox_timers t where t.status in ('SCHEDULED', 'RUNNING')),
            (select min(f.due_at - c.offset_ms * interval '1 millisecond') from sandbox_clocks c
             cross join lateral (
               select t.due_at from sandbox_timers t
               where t.company_id = c.company_id and t.status in ('SCHEDULED', 'RUNNING')
               order by t.due_at limit 1) f
             where c.offset_ms > 0))
          where not exists (select 1 from due)`,
    );
    const companies = rows.flatMap((r) => (r.company_id === null ? [] : [r.company_id]));
    const next = rows.find((r) => r.company_id === null)?.next_at ?? null;
    return { companies, nextDueRealMs: next === null ? null : new Date(next).getTime() };
  }

  /**
   * Runs every due timer of every company. Each company is drained under its mutex, so claiming
   * never happens while an advance of that company runs: the advance fires everything due on its
   * way itself, in order, and returns after it has.
   */
  async function drainAll(): Promise<number> {
    const seen = changes;
    const moves = clocks.moves();
    const { companies, nextDueRealMs } = await companiesWithDueTimers();
    let fired = 0;
    for (const companyId of companies) fired += await companyMutex.run(companyId, () => drain(companyId));
    // Nothing was due: until the first pending timer's instant, a poll of this process finds
    // nothing either, unless something changes here (schedule, advance, retry) first.
    if (companies.length === 0 && seen === changes) {
      quietUntilMs = nextDueRealMs ?? Infinity;
      quietMoves = moves;
    }
    return fired;
  }

  /** The poller's round: nothing at all while this process knows no timer can be due yet. */
  function poll(): Promise<number> {
    if (!shared && clock.now().getTime() < quietUntilMs && clocks.moves() === quietMoves) return Promise.resolve(0);
    return drainAll();
  }

  async function nextDue(companyId: string, until: Date): Promise<Date | null> {
    const real = realIso();
    const rows = await queryRows<{ due_at: string | Date }>(
      db,
      sql`select t.due_at from sandbox_timers t
          where t.company_id = ${companyId} and t.due_at <= ${until.toISOString()}::timestamptz
            and ((t.status = 'SCHEDULED' and (t.lease_until is null or t.lease_until <= ${real}::timestamptz))
              or (t.status = 'RUNNING' and t.lease_until < ${real}::timestamptz))
          order by t.due_at, t.seq limit 1`,
    );
    return rows[0] ? new Date(rows[0].due_at) : null;
  }

  return {
    async schedule(tx, timer) {
      await tx.execute(this.scheduleStatement(timer));
    },
    scheduleStatement(timer) {
      forgetQuiet();
      const now = clock.now();
      return sql`insert into sandbox_timers (id, company_id, due_at, kind, payload, dedupe_key, status, created_at)
            values (${newId('tmr', now)}, ${timer.companyId}, ${timer.dueAt.toISOString()}::timestamptz, ${timer.kind},
                    ${JSON.stringify(timer.payload)}, ${timer.dedupeKey ?? null}, 'SCHEDULED', ${now.toISOString()}::timestamptz)
            on conflict on constraint uq_sandbox_timers_company_dedupe_key do nothing`;
    },
    register(kind, handler) {
      if (handlers.has(kind)) throw new Error(`timer kind ${kind} is already registered`);
      handlers.set(kind, handler as (timer: Timer) => Promise<void>);
    },
    runDue: (companyId) => (companyId === undefined ? drainAll() : companyMutex.run(companyId, () => drain(companyId))),
    advance(companyId, target) {
      forgetQuiet();
      return companyMutex.run(companyId, async () => {
        let fired = 0;
        for (let round = 0; ; round++) {
          if (round >= MAX_ROUNDS_PER_ADVANCE) throw new Error(`timers of ${companyId} keep falling due; advance stopped after ${round} rounds`);
          const due = await nextDue(companyId, target);
          if (due === null) break;
          await clocks.moveForwardTo(companyId, due);
          const ran = await drain(companyId);
          // A timer due but waiting for its retry (or leased by a live runner elsewhere) cannot
          // run now; stop stepping instead of spinning, it runs when its not-before passes.
          if (ran === 0) break;
          fired += ran;
        }
        await clocks.moveForwardTo(companyId, target);
        fired += await drain(companyId);
        return { fired };
      });
    },
    async pending(companyId) {
      const rows = await queryRows<{ count: string | number; next: string | Date | null }>(
        db,
        sql`select count(*) as count, min(due_at) as next from sandbox_timers where company_id = ${companyId} and status in ('SCHEDULED', 'RUNNING')`,
      );
      const row = rows[0];
      return { count: Number(row?.count ?? 0), nextDueAt: row?.next ? new Date(row.next) : null };
    },
    startPolling(intervalMs) {
      stopped = false;
      const tick = () => {
        polling = poll()
          .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'sandbox timer poll failed'))
          .finally(() => {
            if (!stopped) poller = setTimeout(tick, intervalMs);
          });
      };
      poller = setTimeout(tick, intervalMs);
    },
    async stop() {
      stopped = true;
      if (poller) clearTimeout(poller);
      await polling;
    },
  };
}
