import { OutcomeChannel } from '../outcome-channel.js';
import { planScenario, type LaterOutcome, type OutcomePlan } from '../outcome.js';
import { IFSC_PATTERN, type RegistriesRail } from '../registries/index.js';
import { assertSupported, parseScenario, type Scenario } from '../scenario.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import { isVpa } from '../upi/rules.js';
import type { Beneficiary, BankTransferRail, TransferResult } from './rail.js';
import {
  ACCOUNT_NUMBER_PATTERN,
  amountRejection,
  DEFAULT_LIMITS,
  generateUtr,
  neftBatchAtOrAfter,
  nextNeftBatch,
  TRANSFER_MODES,
  type RejectCode,
  type TransferLimits,
  type TransferMode,
} from './rules.js';
import { bankTransferTestData, TEST_BENEFICIARIES } from './test-data.js';

const DEFAULTS = { declineReason: 'credit_declined', failReason: 'beneficiary_bank_unavailable', reversalReason: 'returned_by_beneficiary_bank' };

export interface BankTransferOptions extends Partial<TransferLimits> {
  /** IFSC prefix of the remitting bank, the first characters of NEFT and RTGS UTRs. */
  remitterBankCode?: string;
}

/** The scenario of a transfer: the request's, else the test beneficiary's, else success. */
export function decideBeneficiary(beneficiary: Beneficiary, requested: Scenario | undefined): Scenario {
  const value = 'vpa' in beneficiary ? beneficiary.vpa.toLowerCase() : beneficiary.accountNumber;
  const known = TEST_BENEFICIARIES.find((b) => b.value === value);
  return requested ?? (known ? parseScenario(known.scenario) : { name: 'succeed' });
}

/** A transfer's plan: banks return rather than decline, so a decline is a failure. */
export function transferPlan(scenario: Scenario): OutcomePlan {
  const plan = planScenario(scenario, DEFAULTS);
  return plan.immediate === 'declined' ? { ...plan, immediate: 'failed' } : plan;
}

/**
 * NEFT settles in batches: an immediate outcome happens at the first batch strictly after `now`,
 * and every later one at the first batch at or after its due instant (never before the first).
 */
export function neftPlan(plan: OutcomePlan, now: Date): OutcomePlan {
  const first = nextNeftBatch(now);
  const snap = (afterMs: number) => Math.max(neftBatchAtOrAfter(new Date(now.getTime() + afterMs)).getTime(), first.getTime()) - now.getTime();
  const later: LaterOutcome[] = plan.later.map((step) => ({ ...step, afterMs: snap(step.afterMs) }));
  if (plan.immediate === 'succeeded' || plan.immediate === 'failed' || plan.immediate === 'declined') {
    const status = plan.immediate === 'succeeded' ? 'succeeded' : 'failed';
    later.unshift({ afterMs: first.getTime() - now.getTime(), status, ...(plan.reasonCode ? { reasonCode: plan.reasonCode } : {}) });
    return { immediate: 'pending', later, webhookDuplicate: plan.webhookDuplicate };
  }
  return { ...plan, later };
}

export class BankTransferSimulator implements BankTransferRail {
  readonly rail = 'bank_transfer' as const;
  private readonly channel: OutcomeChannel;
  private readonly limits: TransferLimits;
  private readonly remitter: string;

  constructor(
    private readonly deps: SimulatorDeps & { registries: RegistriesRail },
    options: BankTransferOptions = {},
  ) {
    this.channel = new OutcomeChannel('bank_transfer', deps.timers);
    this.limits = {
      impsMaxPaise: options.impsMaxPaise ?? DEFAULT_LIMITS.impsMaxPaise,
      upiMaxPaise: options.upiMaxPaise ?? DEFAULT_LIMITS.upiMaxPaise,
      rtgsMinPaise: options.rtgsMinPaise ?? DEFAULT_LIMITS.rtgsMinPaise,
    };
    this.remitter = options.remitterBankCode ?? 'YESB';
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.channel.onOutcome(replyTo, handler);
  }

  async transfer(call: RailCall, input: { mode: TransferMode; amountPaise: bigint; beneficiary: Beneficiary; remark?: string }): Promise<TransferResult> {
    assertSupported(call.scenario, bankTransferTestData.scenarios, 'the bank-transfer rail');
    const rejection = await this.validate(input);
    if (rejection) {
      return {
        status: 'rejected',
        rejectCode: rejection[0],
        reasonCode: 'rejected',
        reasonMessage: rejection[1],
        fundsReturned: false,
        webhookDuplicate: false,
      };
    }
    const now = await this.deps.clock.now(call.companyId, call.exec);
    const base = transferPlan(decideBeneficiary(input.beneficiary, call.scenario));
    const plan = input.mode === 'NEFT' ? neftPlan(base, now) : base;
    const utr = generateUtr(input.mode, now, this.remitter);
    await this.channel.schedule(
      call,
      plan.later.map((step, i) => ({
        dueAt: new Date(now.getTime() + step.afterMs),
        sequence: i + 1,
        status: step.status,
        reasonCode: step.reasonCode,
        reference: utr,
        webhookDuplicate: plan.webhookDuplicate,
        details: { transferMode: input.mode, fundsReturned: String(step.status === 'failed' || step.status === 'reversed') },
      })),
    );
    const immediate = plan.immediate === 'declined' ? 'failed' : plan.immediate;
    return {
      status: immediate,
      ...(plan.reasonCode === undefined ? {} : { reasonCode: plan.reasonCode }),
      utr,
      ...(input.mode === 'NEFT' ? { batchAt: nextNeftBatch(now) } : {}),
      fundsReturned: immediate === 'failed',
      webhookDuplicate: plan.webhookDuplicate,
    };
  }

  /** The first rule a transfer breaks, as EnKash's reject code and a message; undefined when none. */
  private async validate(input: { mode: TransferMode; amountPaise: bigint; beneficiary: Beneficiary }): Promise<[RejectCode, string] | undefined> {
    if (!TRANSFER_MODES.includes(input.mode)) return ['REJECT_TRF_MODE', `transferMode must be one of ${TRANSFER_MODES.join(', ')}`];
    const b = input.beneficiary;
    if (input.mode === 'UPI') {
      if (!('vpa' in b)) return ['REJECT_TRF_MODE', 'a UPI transfer needs a beneficiary VPA'];
      if (!isVpa(b.vpa)) return ['REJECT_BENEF_ACC', 'the beneficiary VPA is not handle@psp'];
    } else {
      if ('vpa' in b) return ['REJECT_TRF_MODE', `a ${input.mode} transfer needs a beneficiary account number and IFSC, not a VPA`];
      if (!ACCOUNT_NUMBER_PATTERN.test(b.accountNumber)) return ['REJECT_BENEF_ACC', 'the beneficiary account number must be 9 to 18 digits'];
      const ifsc = b.ifsc.toUpperCase();
      if (!IFSC_PATTERN.test(ifsc)) return ['REJECT_BENEF_IFSC', 'the beneficiary IFSC must be 4 letters, 0, then 6 letters or digits'];
      // The beneficiary bank must know the branch: asked of the IFSC registry behind its interface.
      if ((await this.deps.registries.lookupIfsc(ifsc)).outcome !== 'found') return ['REJECT_BENEF_IFSC', `no bank branch has the IFSC ${ifsc}`];
    }
    const amount = amountRejection(input.mode, input.amountPaise, this.limits);
    return amount ? ['REJECT_TRF_AMT', amount] : undefined;
  }
}
