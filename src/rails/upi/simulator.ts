import { RailInputError } from '../errors.js';
import { OutcomeChannel } from '../outcome-channel.js';
import { planScenario, type LaterOutcome, type OutcomePlan } from '../outcome.js';
import { randomDigits } from '../plan-runner.js';
import { assertSupported, parseScenario, type Scenario } from '../scenario.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import { istParts } from '../ist.js';
import type { UpiIntentResult, UpiPayee, UpiPaymentResult, UpiRail, VpaVerification } from './rail.js';
import { buildUpiUri, normalizeVpa } from './rules.js';
import { DEFAULT_PAYER_NAME, DEFAULT_UPI_EXPIRY_MS, TEST_MANDATE_VPAS, TEST_VPAS, upiTestData } from './test-data.js';

const DEFAULTS = { declineReason: 'debit_failed', failReason: 'upi_switch_error' };

/** The scenario of a payment from a payer VPA: the request's, else the test VPA's, else success. */
export function decidePayer(vpa: string, requested: Scenario | undefined): Scenario {
  const known = TEST_VPAS.find((v) => v.vpa === vpa);
  return requested ?? (known ? parseScenario(known.scenario) : { name: 'succeed' });
}

/**
 * What a collect or intent does with a plan: the call answers `pending` once the request reached
 * the payer; the payer's answer follows (at once for an immediate outcome); with no outcome by the
 * expiry, `expired` is reported then, and a later outcome still follows (a late success).
 */
export function paymentPlan(plan: OutcomePlan, expiryMs: number): OutcomePlan {
  const keep = { webhookDuplicate: plan.webhookDuplicate };
  if (plan.immediate === 'failed') return { immediate: 'failed', ...(plan.reasonCode ? { reasonCode: plan.reasonCode } : {}), later: [], ...keep };
  if (plan.immediate === 'no_answer') return { immediate: 'no_answer', later: plan.later, ...keep };
  const events: LaterOutcome[] = [];
  if (plan.immediate === 'succeeded') events.push({ afterMs: 0, status: 'succeeded' });
  if (plan.immediate === 'declined') events.push({ afterMs: 0, status: 'declined', ...(plan.reasonCode ? { reasonCode: plan.reasonCode } : {}) });
  events.push(...plan.later);
  if (!events.some((e) => e.afterMs <= expiryMs)) events.push({ afterMs: expiryMs, status: 'expired' });
  events.sort((a, b) => a.afterMs - b.afterMs);
  return { immediate: 'pending', later: events, ...keep };
}

/** What a mandate request does with a plan: success is an approval, a decline or failure a rejection. */
export function mandatePlan(plan: OutcomePlan): OutcomePlan {
  const events: LaterOutcome[] = [];
  const reason = plan.reasonCode ? { reasonCode: plan.reasonCode } : {};
  if (plan.immediate === 'succeeded') events.push({ afterMs: 0, status: 'approved' });
  if (plan.immediate === 'declined' || plan.immediate === 'failed') events.push({ afterMs: 0, status: 'rejected', ...reason });
  for (const step of plan.later) {
    events.push({ ...step, status: step.status === 'succeeded' ? 'approved' : 'rejected' });
  }
  return { immediate: plan.immediate === 'no_answer' ? 'no_answer' : 'pending', later: events, webhookDuplicate: plan.webhookDuplicate };
}

/**
 * A UPI RRN: 12 digits, the last digit of the year, the day of the year and the hour (IST), then
 * six random digits, as NPCI switches form them.
 */
export function upiRrn(at: Date): string {
  const p = istParts(at);
  return `${p.year % 10}${String(p.dayOfYear).padStart(3, '0')}${String(p.hour).padStart(2, '0')}${randomDigits(6)}`;
}

export class UpiSimulator implements UpiRail {
  readonly rail = 'upi' as const;
  private readonly channel: OutcomeChannel;

  constructor(private readonly deps: SimulatorDeps) {
    this.channel = new OutcomeChannel('upi', deps.timers);
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.channel.onOutcome(replyTo, handler);
  }

  async verifyVpa(vpa: string): Promise<VpaVerification> {
    const normalized = normalizeVpa(vpa);
    const known = TEST_VPAS.find((v) => v.vpa === normalized);
    if (known && known.name === null) return { vpa: normalized, exists: false };
    return { vpa: normalized, exists: true, name: known?.name ?? DEFAULT_PAYER_NAME };
  }

  async collect(call: RailCall, input: { payerVpa: string; amountPaise: bigint; expiresInMs?: number; note?: string }): Promise<UpiPaymentResult> {
    assertSupported(call.scenario, upiTestData.scenarios, 'UPI collect');
    const payer = normalizeVpa(input.payerVpa, 'payerVpa');
    checkAmount(input.amountPaise);
    return this.pay(call, payer, input.expiresInMs);
  }

  async intent(
    call: RailCall,
    input: { payee: UpiPayee; amountPaise: bigint; transactionRef: string; note?: string; payerVpa?: string; expiresInMs?: number },
  ): Promise<UpiIntentResult> {
    assertSupported(call.scenario, upiTestData.scenarios, 'UPI intent');
    checkAmount(input.amountPaise);
    const uri = buildUpiUri({
      pa: input.payee.vpa,
      pn: input.payee.name,
      amountPaise: input.amountPaise,
      tr: input.transactionRef,
      ...(input.note === undefined ? {} : { tn: input.note }),
      ...(input.payee.mcc === undefined ? {} : { mc: input.payee.mcc }),
    });
    const payer = input.payerVpa === undefined ? 'any@sandbox' : normalizeVpa(input.payerVpa, 'payerVpa');
    return { ...(await this.pay(call, payer, input.expiresInMs)), uri };
  }

  async payerAnswers(call: RailCall, answer: 'pay' | 'decline'): Promise<void> {
    const now = await this.deps.clock.now(call.companyId, call.exec);
    const paid = answer === 'pay';
    // Sequence 0: before any step of the call's own plan (1, 2, …), and one answer per attempt.
    await this.channel.schedule(call, [
      {
        dueAt: now,
        sequence: 0,
        status: paid ? 'succeeded' : 'declined',
        reasonCode: paid ? undefined : DEFAULTS.declineReason,
        reference: paid ? upiRrn(now) : undefined,
        details: { answeredBy: 'sandbox payer control' },
      },
    ]);
  }

  async withdraw(call: RailCall): Promise<void> {
    const now = await this.deps.clock.now(call.companyId, call.exec);
    // Sequence 0, as the payer's own answer: whichever comes first is the only one (ADR 0045).
    await this.channel.schedule(call, [{ dueAt: now, sequence: 0, status: 'expired', details: { answeredBy: 'withdrawn by the payee' } }]);
  }

  async requestMandateApproval(call: RailCall, input: { payerVpa: string; amountPaise: bigint }): Promise<{ status: 'pending' | 'no_answer' }> {
    assertSupported(call.scenario, ['succeed', 'decline', 'timeout', 'succeed_after', 'fail_after', 'pending'], 'UPI mandate approval');
    const payer = normalizeVpa(input.payerVpa, 'payerVpa');
    checkAmount(input.amountPaise);
    const known = TEST_MANDATE_VPAS.find((v) => v.vpa === payer);
    const scenario = call.scenario ?? (known ? parseScenario(known.scenario) : { name: 'succeed' as const });
    const plan = mandatePlan(planScenario(scenario, { declineReason: 'rejected_by_payer', failReason: 'rejected_by_payer' }));
    const now = await this.deps.clock.now(call.companyId, call.exec);
    await this.schedule(call, plan, now, { payerVpa: payer });
    return { status: plan.immediate === 'no_answer' ? 'no_answer' : 'pending' };
  }

  private async pay(call: RailCall, payer: string, expiresInMs = DEFAULT_UPI_EXPIRY_MS): Promise<UpiPaymentResult> {
    if (!Number.isInteger(expiresInMs) || expiresInMs <= 0)
      throw new RailInputError('Invalid field expiresInMs: must be a positive integer', { param: 'expiresInMs' });
    const now = await this.deps.clock.now(call.companyId, call.exec);
    const plan = paymentPlan(planScenario(decidePayer(payer, call.scenario), DEFAULTS), expiresInMs);
    await this.schedule(call, plan, now, { payerVpa: payer });
    return {
      status: plan.immediate as UpiPaymentResult['status'],
      ...(plan.reasonCode === undefined ? {} : { reasonCode: plan.reasonCode }),
      expiresAt: new Date(now.getTime() + expiresInMs),
      webhookDuplicate: plan.webhookDuplicate,
    };
  }

  private async schedule(call: RailCall, plan: OutcomePlan, now: Date, details: Record<string, string>): Promise<void> {
    await this.channel.schedule(
      call,
      plan.later.map((step, i) => {
        const dueAt = new Date(now.getTime() + step.afterMs);
        return {
          dueAt,
          sequence: i + 1,
          status: step.status,
          reasonCode: step.reasonCode,
          reference: step.status === 'succeeded' || step.status === 'approved' ? upiRrn(dueAt) : undefined,
          webhookDuplicate: plan.webhookDuplicate,
          details,
        };
      }),
    );
  }
}

function checkAmount(amountPaise: bigint): void {
  if (amountPaise <= 0n) throw new RailInputError('Invalid field amount: must be positive', { param: 'amount' });
}
