import type { ProviderPaymentResult } from '../provider-rail.js';
import type { OutcomeSource, RailCall } from '../types.js';

/** The netbanking rail; later outcomes (slow banks) come through `onOutcome` with the bank reference. */
export interface NetbankingRail extends OutcomeSource {
  readonly rail: 'netbanking';
  /** The banks, for EnKash's `netBankingList`. */
  banks(): Array<{ code: string; name: string }>;
  /** @throws invalid_rail_input (unknown bankCode), scenario_not_supported */
  pay(call: RailCall, input: { bankCode: string; amountPaise: bigint }): Promise<ProviderPaymentResult>;
}
