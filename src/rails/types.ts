import type { Executor } from '../core/db/engine.js';
import type { SandboxClock, Timers } from '../core/jobs/types.js';
import type { Scenario } from './scenario.js';

/** The simulated rails (DESIGN.md, rails/). b2b_network has an interface only, for now. */
export type RailName = 'card' | 'upi' | 'netbanking' | 'wallet' | 'bank_transfer' | 'registries' | 'bbps' | 'b2b_network';

/**
 * Who calls a rail and where its later outcomes go. Products build one per call.
 *
 * The rail call happens outside any open transaction (DESIGN.md, request flow): the product has
 * committed its attempt, calls the rail with `exec` = the database, and records the answer in a
 * second transaction. A simulator schedules its later outcomes on `exec`: that is the simulated
 * bank accepting the request, durable from then on. A product that wants the scheduling to commit
 * with its own writes may pass its open transaction instead (the simulator makes no network call).
 */
export interface RailCall {
  companyId: string;
  /** The product's id of this attempt, unique within `replyTo`; echoed in every outcome. */
  attemptRef: string;
  /** The listener (registered with `onOutcome`) that receives this attempt's later outcomes. */
  replyTo: string;
  /** The scenario named on the request (`scenarioFrom(request)`); it wins over test data. */
  scenario?: Scenario | undefined;
  exec: Executor;
}

/**
 * Status of an outcome reported later, through `onOutcome`. `pending` is an interim report: the
 * attempt is still open, and its `reasonCode` names the stage it reached (Bharat Connect's
 * re-initiation, for one); a final status follows.
 */
export type OutcomeStatus = 'succeeded' | 'declined' | 'failed' | 'reversed' | 'expired' | 'approved' | 'rejected' | 'pending';

/** An outcome of an earlier call, delivered to the product when its sandbox time comes. */
export interface RailOutcomeEvent {
  rail: RailName;
  companyId: string;
  attemptRef: string;
  replyTo: string;
  /** 1, 2, … per attempt; a handler may see the same (attemptRef, sequence) twice and must ignore the repeat. */
  sequence: number;
  status: OutcomeStatus;
  reasonCode?: string;
  /** Bank reference of the outcome: UTR, RRN or approval code. */
  reference?: string;
  /** The sandbox instant at which the outcome happened (the timer's due time). */
  occurredAt: Date;
  /** The `webhook_duplicate` scenario: the product delivers the resulting webhook twice. */
  webhookDuplicate: boolean;
  /** Rail-specific facts (e.g. `fundsReturned`, `transferMode`); strings only. */
  details: Record<string, string>;
}

/**
 * A product's listener. It runs outside any transaction, at least once per outcome (timers are
 * at-least-once): record the outcome idempotently, keyed by (attemptRef, sequence).
 */
export type OutcomeHandler = (event: RailOutcomeEvent) => Promise<void>;

/** What every rail with asynchronous outcomes offers. */
export interface OutcomeSource {
  /** Registers the listener that receives the outcomes of calls made with this `replyTo`. One per name. */
  onOutcome(replyTo: string, handler: OutcomeHandler): void;
}

/** What the simulators need: timers on the sandbox clock, and the sandbox clock itself. */
export interface SimulatorDeps {
  timers: Timers;
  clock: SandboxClock;
}
