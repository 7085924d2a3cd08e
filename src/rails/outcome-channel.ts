import type { Timer, Timers } from '../core/jobs/types.js';
import type { OutcomeHandler, OutcomeStatus, RailCall, RailName, RailOutcomeEvent } from './types.js';

/** The timer payload of a scheduled outcome: JSON, so instants travel as ISO strings. */
interface OutcomePayload {
  attemptRef: string;
  replyTo: string;
  sequence: number;
  status: OutcomeStatus;
  reasonCode?: string;
  reference?: string;
  webhookDuplicate: boolean;
  details: Record<string, string>;
}

export interface ScheduledOutcome {
  dueAt: Date;
  sequence: number;
  status: OutcomeStatus;
  reasonCode?: string | undefined;
  reference?: string | undefined;
  webhookDuplicate?: boolean;
  details?: Record<string, string>;
}

/**
 * The asynchronous half of a simulated rail: outcomes are timers on the company's sandbox clock
 * (kind `rails.<rail>.outcome`), and a fired timer is handed to the listener the product named in
 * `replyTo`. Because the timer is the only record, an outcome survives a restart, fires in sandbox
 * order when the clock is advanced, and is scheduled at most once per (replyTo, attempt, sequence).
 */
export class OutcomeChannel {
  private readonly handlers = new Map<string, OutcomeHandler>();
  readonly timerKind: string;

  constructor(
    private readonly rail: RailName,
    private readonly timers: Timers,
  ) {
    this.timerKind = `rails.${rail}.outcome`;
    timers.register<OutcomePayload>(this.timerKind, (timer) => this.fire(timer));
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    if (this.handlers.has(replyTo)) throw new Error(`${this.rail} rail: a listener for '${replyTo}' is already registered`);
    this.handlers.set(replyTo, handler);
  }

  /** Schedules each outcome on the call's executor; a repeated call for the same attempt schedules nothing new. */
  async schedule(call: RailCall, outcomes: readonly ScheduledOutcome[]): Promise<void> {
    for (const o of outcomes) {
      const payload: OutcomePayload = {
        attemptRef: call.attemptRef,
        replyTo: call.replyTo,
        sequence: o.sequence,
        status: o.status,
        ...(o.reasonCode === undefined ? {} : { reasonCode: o.reasonCode }),
        ...(o.reference === undefined ? {} : { reference: o.reference }),
        webhookDuplicate: o.webhookDuplicate ?? false,
        details: o.details ?? {},
      };
      await this.timers.schedule(call.exec, {
        companyId: call.companyId,
        dueAt: o.dueAt,
        kind: this.timerKind,
        payload,
        dedupeKey: `${this.rail}:${call.replyTo}:${call.attemptRef}:${o.sequence}`,
      });
    }
  }

  private async fire(timer: Timer<OutcomePayload>): Promise<void> {
    const p = timer.payload;
    const handler = this.handlers.get(p.replyTo);
    // Throwing makes the timer runner retry (five attempts with a growing pause), which covers a
    // product that registers late in start-up; a listener that never comes (a wiring bug) leaves
    // the timer FAILED with this message in `sandbox_timers.last_error` and in the error log.
    if (!handler) throw new Error(`${this.rail} rail: no outcome listener registered for '${p.replyTo}'`);
    const event: RailOutcomeEvent = {
      rail: this.rail,
      companyId: timer.companyId,
      attemptRef: p.attemptRef,
      replyTo: p.replyTo,
      sequence: p.sequence,
      status: p.status,
      ...(p.reasonCode === undefined ? {} : { reasonCode: p.reasonCode }),
      ...(p.reference === undefined ? {} : { reference: p.reference }),
      occurredAt: timer.dueAt,
      webhookDuplicate: p.webhookDuplicate,
      details: p.details,
    };
    await handler(event);
  }
}
