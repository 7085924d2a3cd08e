import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/engine.js';
import type { Listener } from '../db/notifications.js';
import { queryRows } from '../db/transaction.js';
import type { Clock } from './clock.js';

export interface SandboxClockState {
  companyId: string;
  /** The company's sandbox time. */
  now: Date;
  /** Real time, from the process clock. */
  realNow: Date;
  offsetMs: bigint;
}

/**
 * A company's sandbox clock: real time plus an offset that only moves forward, stored per company
 * (`sandbox_clocks`; no row is an offset of zero). The one sandbox-clock interface of the code:
 * products, rails, the ledger and events take it (as `clocks`, or as `clock` where no real clock is beside it) and only
 * call `now`.
 */
export interface SandboxClock {
  /**
   * The company's sandbox time. The offset is cached in this process (ADR 0031): a read costs no
   * statement once the company's offset is known, and an advance anywhere reaches the cache by
   * NOTIFY. `exec` is used only on a miss (inside the caller's transaction when it is one).
   */
  now(companyId: string, exec?: Executor): Promise<Date>;
  /** The clock read from the database (the authority), which also refreshes the cache. */
  state(companyId: string, exec?: Executor): Promise<SandboxClockState>;
  /**
   * Moves the company's clock forward so that its time is at least `target`; never back. Atomic
   * under concurrency: the stored offset becomes the greatest of the old and the new. Commits at
   * once (no transaction), and tells every process.
   */
  moveForwardTo(companyId: string, target: Date): Promise<SandboxClockState>;
  /** An offset read from the database elsewhere (a timer claim): the cache takes it if it is ahead. */
  observe(companyId: string, offsetMs: bigint): void;
  /** How many times this process has seen a clock move forward (the idle timer poller's cue to look again). */
  moves(): number;
  /**
   * Starts listening for other processes' advances (PostgreSQL; until then nothing is cached
   * there). Resolves once the first LISTEN has succeeded or failed.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The NOTIFY channel of advances; the payload is `companyId:offsetMs`. */
export const SANDBOX_CLOCK_CHANNEL = 'tijori_sandbox_clock';
const CACHE_MAX = 10_000;

/**
 * Clocks of this process by database, so that an advance reaches every app instance sharing the
 * database in this process at once (PGlite has no LISTEN; tests run several instances on one).
 */
const inProcess = new WeakMap<Executor, Set<(companyId: string, offsetMs: bigint) => void>>();

export function createSandboxClock(deps: { database: Pick<Database, 'db'> & Partial<Pick<Database, 'listen'>>; clock: Clock }): SandboxClock {
  const { clock } = deps;
  const db = deps.database.db;
  const offsets = new Map<string, bigint>();
  // Only while the listener is connected may a cached offset be trusted on PostgreSQL; a lost
  // connection empties the cache and bumps the epoch so that a read begun before is not kept.
  const needsListener = deps.database.listen !== undefined;
  let listening = !needsListener;
  let epoch = 0;
  let listener: Listener | undefined;
  let moves = 0;

  const learn = (companyId: string, offsetMs: bigint) => {
    if (!listening) return;
    const known = offsets.get(companyId);
    if (known !== undefined && known >= offsetMs) return;
    if (known !== undefined || offsetMs > 0n) moves++;
    if (known === undefined && offsets.size >= CACHE_MAX) offsets.clear();
    offsets.set(companyId, offsetMs);
  };
  const peers = inProcess.get(db) ?? new Set();
  inProcess.set(db, peers);
  peers.add(learn);
  const tell = (companyId: string, offsetMs: bigint) => {
    for (const peer of peers) peer(companyId, offsetMs);
  };

  const read = async (exec: Executor, companyId: string): Promise<bigint> => {
    const at = epoch;
    const rows = await queryRows<{ offset_ms: string | number }>(exec, sql`select offset_ms from sandbox_clocks where company_id = ${companyId}`);
    const offset = rows[0] ? BigInt(rows[0].offset_ms) : 0n;
    if (at === epoch) learn(companyId, offset);
    // Never answer behind what this process already saw (another read may have learnt more).
    const known = offsets.get(companyId);
    return known !== undefined && known > offset ? known : offset;
  };
  const offsetOf = async (exec: Executor, companyId: string): Promise<bigint> => offsets.get(companyId) ?? (await read(exec, companyId));
  const stateOf = (companyId: string, realNow: Date, offsetMs: bigint): SandboxClockState => ({
    companyId,
    now: new Date(realNow.getTime() + Number(offsetMs)),
    realNow,
    offsetMs,
  });

  return {
    async now(companyId, exec = db) {
      const offset = await offsetOf(exec, companyId);
      return new Date(clock.now().getTime() + Number(offset));
    },
    async state(companyId, exec = db) {
      const offset = await read(exec, companyId);
      return stateOf(companyId, clock.now(), offset);
    },
    async moveForwardTo(companyId, target) {
      const realNow = clock.now();
      const wanted = BigInt(Math.max(0, target.getTime() - realNow.getTime()));
      // One statement: the upsert, and the NOTIFY that other processes' caches wait for (sent on commit).
      const rows = await queryRows<{ offset_ms: string | number }>(
        db,
        sql`with moved as (
              insert into sandbox_clocks (company_id, offset_ms, updated_at)
              values (${companyId}, ${wanted.toString()}::bigint, ${realNow.toISOString()}::timestamptz)
              on conflict (company_id) do update
                set offset_ms = greatest(sandbox_clocks.offset_ms, excluded.offset_ms), updated_at = excluded.updated_at
              returning company_id, offset_ms
            )
            select offset_ms, pg_notify(${SANDBOX_CLOCK_CHANNEL}, company_id || ':' || offset_ms) from moved`,
      );
      const offset = BigInt(rows[0]!.offset_ms);
      tell(companyId, offset);
      return stateOf(companyId, realNow, offset);
    },
    observe: (companyId, offsetMs) => tell(companyId, offsetMs),
    moves: () => moves,
    start() {
      peers.add(learn);
      if (!needsListener || listener) return Promise.resolve();
      return new Promise<void>((resolve) => {
        listener = deps.database.listen!(SANDBOX_CLOCK_CHANNEL, {
          onNotification(payload) {
            const colon = payload.lastIndexOf(':');
            if (colon > 0 && /^\d+$/.test(payload.slice(colon + 1))) learn(payload.slice(0, colon), BigInt(payload.slice(colon + 1)));
          },
          onListening(now) {
            // Whatever happened while not listening is unknown: start from the database again.
            epoch++;
            offsets.clear();
            listening = now;
            resolve();
          },
        });
      });
    },
    async stop() {
      peers.delete(learn);
      const l = listener;
      listener = undefined;
      listening = !needsListener;
      offsets.clear();
      epoch++;
      await l?.close();
    },
  };
}
