/**
 * The process clock: real time. Domain code never reads the wall clock: it asks a clock service,
 * either this one or a company's sandbox clock (`SandboxClock` in sandbox-clock.ts, advanced through
 * `POST /api/v0/sandbox/clock/advance`). `companyId` is accepted and ignored here, so that code
 * written against either reads the same; OAuth, for one, keeps real time (ADR 0013).
 */
export interface Clock {
  now(companyId?: string): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that moves only when told to; tests use it as the process clock under the sandbox clocks. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.currentMs = start.getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a clock only moves forward');
    this.currentMs += ms;
  }

  set(at: Date): void {
    this.currentMs = at.getTime();
  }
}
