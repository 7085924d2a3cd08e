/**
 * The clock service. Domain code never reads the wall clock: it asks the clock, which may be a
 * company's sandbox clock (advanced through the API in a later issue). `companyId` lets a
 * per-company sandbox clock answer; the system clock ignores it.
 */
export interface Clock {
  now(companyId?: string): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that moves only when told to; used by tests and, later, by the sandbox clock. */
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
