import { formatIsoDuration, type Scenario } from './scenario.js';
import type { OutcomeStatus } from './types.js';

/**
 * What a rail answers to a call. `no_answer` is a call the (simulated) bank never answered: the
 * rail returns at once rather than hanging, and the product applies its own timeout rule, exactly as
 * it would after a real timeout.
 */
export type ImmediateStatus = 'succeeded' | 'declined' | 'failed' | 'pending' | 'no_answer';

/** A final outcome reported later, through the rail's outcome listener. */
export type LaterStatus = OutcomeStatus;

export interface LaterOutcome {
  /** Sandbox time after the call (or after the event it follows, e.g. a NEFT batch). */
  afterMs: number;
  status: LaterStatus;
  reasonCode?: string;
}

/**
 * The decided behaviour of one rail call: what it answers now and what it reports later. Pure
 * data, so that deciding is unit-tested apart from scheduling, and so that docs/sandbox.md can
 * describe each magic value from the same plan the simulator runs.
 */
export interface OutcomePlan {
  immediate: ImmediateStatus;
  reasonCode?: string;
  later: LaterOutcome[];
  /** The product delivers its webhook for this outcome twice, with the same webhook id. */
  webhookDuplicate: boolean;
}

/** Delay of `timeout_then_succeed` when the scenario names none. */
export const DEFAULT_TIMEOUT_THEN_SUCCEED_MS = 2 * 60_000;

export interface PlanDefaults {
  /** Reason code of `decline` without a reason (e.g. `card_declined`, `debit_failed`). */
  declineReason: string;
  /** Reason code of `fail`/`fail_after` without a reason (e.g. `issuer_unavailable`). */
  failReason: string;
  /** Reason code of the reversal of `reverse_after`. */
  reversalReason?: string;
}

/** The plan of a scenario: the single place where scenario semantics live. */
export function planScenario(scenario: Scenario, defaults: PlanDefaults): OutcomePlan {
  const plan = (immediate: ImmediateStatus, later: LaterOutcome[] = [], reasonCode?: string): OutcomePlan => ({
    immediate,
    ...(reasonCode === undefined ? {} : { reasonCode }),
    later,
    webhookDuplicate: false,
  });
  switch (scenario.name) {
    case 'succeed':
      return plan('succeeded');
    case 'decline':
      return plan('declined', [], scenario.reason ?? defaults.declineReason);
    case 'fail':
      return plan('failed', [], scenario.reason ?? defaults.failReason);
    case 'timeout':
      return plan('no_answer');
    case 'timeout_then_succeed':
      return plan('no_answer', [{ afterMs: scenario.afterMs ?? DEFAULT_TIMEOUT_THEN_SUCCEED_MS, status: 'succeeded' }]);
    case 'succeed_after':
      return plan('pending', [{ afterMs: scenario.afterMs, status: 'succeeded' }]);
    case 'fail_after':
      return plan('pending', [{ afterMs: scenario.afterMs, status: 'failed', reasonCode: defaults.failReason }]);
    case 'pending':
      return plan('pending');
    case 'reverse_after':
      return plan('succeeded', [{ afterMs: scenario.afterMs, status: 'reversed', reasonCode: defaults.reversalReason ?? 'returned_by_beneficiary_bank' }]);
    case 'webhook_duplicate':
      return { ...plan('succeeded'), webhookDuplicate: true };
  }
}

const IMMEDIATE_WORDS: Record<ImmediateStatus, string> = {
  succeeded: 'succeeded',
  declined: 'declined',
  failed: 'failed',
  pending: 'pending',
  no_answer: 'no answer',
};

/**
 * One line that says what a plan does, e.g. `pending, then succeeded after PT10M`. docs/sandbox.md
 * shows these lines, and a test runs every magic value through its simulator and compares the line
 * of the plan the simulator really ran with the documented one.
 */
export function describePlan(plan: OutcomePlan): string {
  const withReason = (word: string, reason?: string) => (reason === undefined ? word : `${word} (${reason})`);
  const parts = [withReason(IMMEDIATE_WORDS[plan.immediate], plan.reasonCode)];
  for (const step of plan.later) {
    const when = step.afterMs === 0 ? 'at once' : `after ${formatIsoDuration(step.afterMs)}`;
    parts.push(`then ${withReason(step.status, step.reasonCode)} ${when}`);
  }
  if (plan.webhookDuplicate) parts.push('webhook delivered twice');
  return parts.join(', ');
}
