import type { ProviderPaymentResult } from '../provider-rail.js';
import type { OutcomeSource, RailCall } from '../types.js';
import type { WalletKind } from './test-data.js';

/** The wallet and pay-later rail; later outcomes come through `onOutcome` with the provider's reference. */
export interface WalletRail extends OutcomeSource {
  readonly rail: 'wallet';
  /** The providers, for EnKash's `walletList` (WALLET) and BNPL options (PAY_LATER). */
  providers(kind?: WalletKind): Array<{ code: string; name: string }>;
  /** @throws invalid_rail_input (unknown code), scenario_not_supported */
  pay(call: RailCall, input: { walletCode: string; amountPaise: bigint }): Promise<ProviderPaymentResult>;
}
