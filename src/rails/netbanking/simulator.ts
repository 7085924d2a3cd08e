import { ProviderRailSimulator, type ProviderPaymentResult } from '../provider-rail.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import type { NetbankingRail } from './rail.js';
import { NETBANKING_BANKS } from './test-data.js';

export class NetbankingSimulator implements NetbankingRail {
  readonly rail = 'netbanking' as const;
  private readonly inner: ProviderRailSimulator;

  constructor(deps: SimulatorDeps) {
    this.inner = new ProviderRailSimulator('netbanking', NETBANKING_BANKS, deps, {
      declineReason: 'payment_declined',
      failReason: 'bank_unavailable',
      param: 'bankCode',
    });
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.inner.onOutcome(replyTo, handler);
  }

  banks() {
    return this.inner.list();
  }

  pay(call: RailCall, input: { bankCode: string; amountPaise: bigint }): Promise<ProviderPaymentResult> {
    return this.inner.pay(call, { code: input.bankCode, amountPaise: input.amountPaise });
  }
}
