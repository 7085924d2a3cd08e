import { sql } from 'drizzle-orm';
import type { Executor } from '../db/engine.js';
import { queryRows } from '../db/transaction.js';
import type { SandboxClock } from '../jobs/types.js';
import type { Clock } from './clock.js';

export interface SandboxClockState {
  companyId: string;
  /** The company's sandbox time. */
  now: Date;
  /** Real time, from the process clock. */
  realNow: Date;
  offsetMs: bigint;
}

/** A company's sandbox clock (real time + an offset that only moves forward), stored per company. */
export interface SandboxClockService extends SandboxClock {
  state(companyId: string, exec?: Executor): Promise<SandboxClockState>;
  /**
   * Moves the company's clock forward so that its time is at least `target`; never back. Atomic
   * under concurrency: the stored offset becomes the greatest of the old and the new.
   */
  moveForwardTo(companyId: string, target: Date, exec?: Executor): Promise<SandboxClockState>;
}

export function createSandboxClock(deps: { db: Executor; clock: Clock }): SandboxClockService {
  const { db, clock } = deps;

  const offsetOf = async (exec: Executor, companyId: string): Promise<bigint> => {
    const rows = await queryRows<{ offset_ms: string | number }>(exec, sql`select offset_ms from sandbox_clocks where company_id = ${companyId}`);
    return rows[0] ? BigInt(rows[0].offset_ms) : 0n;
  };
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
      const offset = await offsetOf(exec, companyId);
      return stateOf(companyId, clock.now(), offset);
    },
    async moveForwardTo(companyId, target, exec = db) {
      const realNow = clock.now();
      const wanted = BigInt(Math.max(0, target.getTime() - realNow.getTime()));
      const rows = await queryRows<{ offset_ms: string | number }>(
        exec,
        sql`insert into sandbox_clocks (company_id, offset_ms, updated_at)
            values (${companyId}, ${wanted.toString()}::bigint, ${realNow.toISOString()}::timestamptz)
            on conflict (company_id) do update
              set offset_ms = greatest(sandbox_clocks.offset_ms, excluded.offset_ms), updated_at = excluded.updated_at
            returning offset_ms`,
      );
      return stateOf(companyId, realNow, BigInt(rows[0]!.offset_ms));
    },
  };
}
