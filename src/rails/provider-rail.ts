import { RailInputError } from './errors.js';
import { OutcomeChannel } from './outcome-channel.js';
import { planScenario } from './outcome.js';
import { randomDigits, scheduleLater } from './plan-runner.js';
import { assertSupported, parseScenario, type ScenarioName } from './scenario.js';
import type { OutcomeHandler, RailCall, RailName, SimulatorDeps } from './types.js';

/** A bank (netbanking) or a wallet/pay-later provider, with the scenario its payments follow. */
export interface Provider {
  code: string;
  name: string;
  /** The scenario every payment through this provider follows unless the request names one. */
  scenario: string;
  outcome: string;
  description: string;
}

/** The answer of a redirect payment (netbanking, wallet, pay later). */
export interface ProviderPaymentResult {
  status: 'succeeded' | 'declined' | 'failed' | 'pending' | 'no_answer';
  reasonCode?: string;
  /** The provider's reference, with `succeeded`. */
  providerReference?: string;
  webhookDuplicate: boolean;
}

export const PROVIDER_SCENARIOS: ScenarioName[] = [
  'succeed',
  'decline',
  'fail',
  'timeout',
  'timeout_then_succeed',
  'succeed_after',
  'fail_after',
  'pending',
  'webhook_duplicate',
];

/**
 * Netbanking and wallets behave alike: the customer is sent to the provider, and the provider's
 * answer is decided by the provider code (one bank down, one slow…) or the request's scenario.
 */
export class ProviderRailSimulator {
  private readonly channel: OutcomeChannel;

  constructor(
    private readonly rail: RailName,
    private readonly providers: readonly Provider[],
    private readonly deps: SimulatorDeps,
    private readonly defaults: { declineReason: string; failReason: string; param: string },
  ) {
    this.channel = new OutcomeChannel(rail, deps.timers);
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.channel.onOutcome(replyTo, handler);
  }

  list(): Array<{ code: string; name: string }> {
    return this.providers.map((p) => ({ code: p.code, name: p.name }));
  }

  async pay(call: RailCall, input: { code: string; amountPaise: bigint }): Promise<ProviderPaymentResult> {
    assertSupported(call.scenario, PROVIDER_SCENARIOS, `the ${this.rail} rail`);
    const provider = this.providers.find((p) => p.code === input.code);
    if (!provider) throw new RailInputError(`Invalid field ${this.defaults.param}: unknown code ${JSON.stringify(input.code)}`, { param: this.defaults.param });
    if (input.amountPaise <= 0n) throw new RailInputError('Invalid field amount: must be positive', { param: 'amount' });
    const plan = planScenario(call.scenario ?? parseScenario(provider.scenario), this.defaults);
    const now = await this.deps.clock.now(call.companyId, call.exec);
    const reference = () => `${provider.code.slice(0, 4).toUpperCase()}${randomDigits(10)}`;
    await scheduleLater(this.channel, call, plan, now, {
      reference: (status) => (status === 'succeeded' ? reference() : undefined),
      details: { code: provider.code },
    });
    return {
      status: plan.immediate,
      ...(plan.reasonCode === undefined ? {} : { reasonCode: plan.reasonCode }),
      ...(plan.immediate === 'succeeded' ? { providerReference: reference() } : {}),
      webhookDuplicate: plan.webhookDuplicate,
    };
  }
}
