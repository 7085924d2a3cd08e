import type { OutcomeChannel } from './outcome-channel.js';
import type { OutcomePlan } from './outcome.js';
import type { RailCall } from './types.js';

/**
 * Schedules the later steps of a plan as outcome timers: step i is outcome number i + 1, due
 * `afterMs` after `from` (the call's sandbox instant, or a later one such as a NEFT batch).
 * `reference` gives the bank reference of a success (UTR, approval code).
 */
export async function scheduleLater(
  channel: OutcomeChannel,
  call: RailCall,
  plan: OutcomePlan,
  from: Date,
  options: { reference?: (status: string) => string | undefined; details?: Record<string, string> } = {},
): Promise<void> {
  await channel.schedule(
    call,
    plan.later.map((step, i) => ({
      dueAt: new Date(from.getTime() + step.afterMs),
      sequence: i + 1,
      status: step.status,
      reasonCode: step.reasonCode,
      reference: options.reference?.(step.status),
      webhookDuplicate: plan.webhookDuplicate,
      details: options.details ?? {},
    })),
  );
}

/** Six random digits: an approval code or a bank reference suffix. Random is fine: nothing is decided by it. */
export function randomDigits(length: number, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 10).toString();
  return out;
}
