import { ProviderRailSimulator, type ProviderPaymentResult } from '../provider-rail.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import type { WalletRail } from './rail.js';
import { WALLET_PROVIDERS, type WalletKind } from './test-data.js';

export class WalletSimulator implements WalletRail {
  readonly rail = 'wallet' as const;
  private readonly inner: ProviderRailSimulator;

  constructor(deps: SimulatorDeps) {
    this.inner = new ProviderRailSimulator('wallet', WALLET_PROVIDERS, deps, {
      declineReason: 'payment_declined',
      failReason: 'provider_unavailable',
      param: 'walletCode',
    });
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.inner.onOutcome(replyTo, handler);
  }

  providers(kind?: WalletKind) {
    return WALLET_PROVIDERS.filter((w) => kind === undefined || w.kind === kind).map((w) => ({ code: w.code, name: w.name }));
  }

  pay(call: RailCall, input: { walletCode: string; amountPaise: bigint }): Promise<ProviderPaymentResult> {
    return this.inner.pay(call, { code: input.walletCode, amountPaise: input.amountPaise });
  }
}
