import { withTransaction } from '../../core/db/transaction.js';
import { newId } from '../../core/ids/ids.js';
import { CardAuthenticationCompletedError, CardAuthenticationNotFoundError, RailInputError } from '../errors.js';
import { OutcomeChannel } from '../outcome-channel.js';
import { planScenario, type OutcomePlan } from '../outcome.js';
import { randomDigits, scheduleLater } from '../plan-runner.js';
import { assertSupported, formatScenario, parseScenario, type Scenario } from '../scenario.js';
import type { OutcomeHandler, RailCall, SimulatorDeps } from '../types.js';
import type { CardAuthorization, CardDetails, CardIdentity, CardRail } from './rail.js';
import { insertAuthentication, lockAuthentication, updateAuthentication, type CardAuthenticationRow } from './repository.js';
import { binDetails, checkCvv, isExpired, normalizeCardNumber, parseExpiry, type CardNetwork, type CardType } from './rules.js';
import { AUTHENTICATION_TTL_MS, cardTestData, OTP_MAX_ATTEMPTS, OTP_MAX_RESENDS, TEST_CARDS, TEST_OTP, type CardAuthentication } from './test-data.js';

const DEFAULTS = { declineReason: 'card_declined', failReason: 'issuer_unavailable' };

/** What a test card (or the default) decides: how the holder authenticates and what happens next. */
export function decideCard(cardNumber: string, requested: Scenario | undefined): { authentication: CardAuthentication; scenario: Scenario } {
  const card = TEST_CARDS.find((c) => c.number === cardNumber);
  return {
    authentication: card?.authentication ?? 'frictionless',
    // Precedence (docs/sandbox.md): the request's scenario, then the test card, then success.
    scenario: requested ?? (card ? parseScenario(card.scenario) : { name: 'succeed' }),
  };
}

/**
 * The simulated card rail. The card number and CVV live only in this call's arguments: the session
 * row and every answer carry the token, BIN, last four and network.
 */
export class CardSimulator implements CardRail {
  readonly rail = 'card' as const;
  private readonly channel: OutcomeChannel;

  constructor(private readonly deps: SimulatorDeps) {
    this.channel = new OutcomeChannel('card', deps.timers);
  }

  onOutcome(replyTo: string, handler: OutcomeHandler): void {
    this.channel.onOutcome(replyTo, handler);
  }

  binDetails(prefix: string) {
    return binDetails(prefix);
  }

  async authorize(call: RailCall, input: { card: CardDetails; amountPaise: bigint }): Promise<CardAuthorization> {
    assertSupported(call.scenario, cardTestData.scenarios, 'the card rail');
    if (input.amountPaise <= 0n) throw new RailInputError('Invalid field amount: must be positive', { param: 'amount' });
    const number = normalizeCardNumber(input.card.cardNumber);
    const expiry = parseExpiry(input.card.expiry);
    const bin = binDetails(number);
    if (!bin) throw new RailInputError('Invalid field cardNumber: unsupported card network', { param: 'cardNumber' });
    checkCvv(input.card.cvv, bin.network);

    const now = await this.deps.clock.now(call.companyId, call.exec);
    const card: CardIdentity = {
      token: newId('ctok', now),
      bin: number.slice(0, 6),
      last4: number.slice(-4),
      network: bin.network,
      cardType: bin.cardType,
      issuer: bin.issuer,
    };
    // Expiry is a rule of the card, checked before test data or scenario: no issuer approves it.
    if (isExpired(expiry, now)) return { status: 'declined', card, reasonCode: 'expired_card', webhookDuplicate: false };

    const { authentication, scenario } = decideCard(number, call.scenario);
    if (authentication === 'frictionless') return this.run(call, card, scenario, now);

    const authenticationId = newId('cauth', now);
    await insertAuthentication(call.exec, {
      id: authenticationId,
      companyId: call.companyId,
      attemptRef: call.attemptRef,
      replyTo: call.replyTo,
      method: authentication,
      status: 'awaiting',
      cardToken: card.token,
      bin: card.bin,
      last4: card.last4,
      network: card.network,
      cardType: card.cardType,
      issuer: card.issuer,
      scenario: formatScenario(scenario),
      expiresAt: new Date(now.getTime() + AUTHENTICATION_TTL_MS),
      createdAt: now,
    });
    return authentication === 'otp'
      ? { status: 'otp_required', card, authenticationId, otpAttemptsLeft: OTP_MAX_ATTEMPTS, otpResendsLeft: OTP_MAX_RESENDS, webhookDuplicate: false }
      : { status: 'challenge_required', card, authenticationId, webhookDuplicate: false };
  }

  async submitOtp(call: RailCall, input: { authenticationId: string; otp: string }): Promise<CardAuthorization> {
    assertSupported(call.scenario, cardTestData.scenarios, 'the card rail');
    const step = await withTransaction(call.exec, async (tx) => {
      const { row, now, expired } = await this.open(tx, call, input.authenticationId, 'otp');
      if (expired) return { kind: 'done' as const, row, now, result: this.declined(row, 'authentication_expired') };
      if (input.otp !== TEST_OTP) {
        const attempts = row.otpAttempts + 1;
        if (attempts >= OTP_MAX_ATTEMPTS) {
          await updateAuthentication(tx, call.companyId, row.id, { status: 'failed', otpAttempts: attempts });
          return { kind: 'done' as const, row, now, result: this.declined(row, 'otp_attempts_exceeded') };
        }
        await updateAuthentication(tx, call.companyId, row.id, { otpAttempts: attempts });
        const retry: CardAuthorization = {
          status: 'otp_required',
          card: identityOf(row),
          authenticationId: row.id,
          otpAttemptsLeft: OTP_MAX_ATTEMPTS - attempts,
          otpResendsLeft: OTP_MAX_RESENDS - row.otpResends,
          reasonCode: 'incorrect_otp',
          webhookDuplicate: false,
        };
        return { kind: 'done' as const, row, now, result: retry };
      }
      await updateAuthentication(tx, call.companyId, row.id, { status: 'succeeded' });
      return { kind: 'authenticated' as const, row, now };
    });
    if (step.kind === 'done') return step.result;
    return this.run(call, identityOf(step.row), call.scenario ?? parseScenario(step.row.scenario), step.now);
  }

  async resendOtp(call: RailCall, input: { authenticationId: string }): Promise<{ sent: boolean; resendsLeft: number }> {
    return withTransaction(call.exec, async (tx) => {
      const { row, expired } = await this.open(tx, call, input.authenticationId, 'otp');
      if (expired) throw new CardAuthenticationCompletedError('The card authentication has expired', { param: 'authenticationId' });
      if (row.otpResends >= OTP_MAX_RESENDS) return { sent: false, resendsLeft: 0 };
      await updateAuthentication(tx, call.companyId, row.id, { otpResends: row.otpResends + 1 });
      return { sent: true, resendsLeft: OTP_MAX_RESENDS - row.otpResends - 1 };
    });
  }

  async completeChallenge(call: RailCall, input: { authenticationId: string; passed: boolean }): Promise<CardAuthorization> {
    assertSupported(call.scenario, cardTestData.scenarios, 'the card rail');
    const step = await withTransaction(call.exec, async (tx) => {
      const { row, now, expired } = await this.open(tx, call, input.authenticationId, 'challenge');
      if (expired) return { row, now, failure: 'authentication_expired' };
      await updateAuthentication(tx, call.companyId, row.id, { status: input.passed ? 'succeeded' : 'failed' });
      return { row, now, failure: input.passed ? undefined : 'authentication_failed' };
    });
    if (step.failure) return this.declined(step.row, step.failure);
    return this.run(call, identityOf(step.row), call.scenario ?? parseScenario(step.row.scenario), step.now);
  }

  /** Locks an awaiting session of this company; an expired one is closed as failed. */
  private async open(tx: RailCall['exec'], call: RailCall, id: string, method: 'otp' | 'challenge') {
    const row = await lockAuthentication(tx, call.companyId, id);
    if (!row || row.method !== method) {
      throw new CardAuthenticationNotFoundError(`No ${method === 'otp' ? 'OTP' : '3-D Secure'} authentication ${id}`, { param: 'authenticationId' });
    }
    if (row.status !== 'awaiting') throw new CardAuthenticationCompletedError(`The card authentication ${id} has already ended`, { param: 'authenticationId' });
    const now = await this.deps.clock.now(call.companyId, tx);
    const expired = now.getTime() >= row.expiresAt.getTime();
    if (expired) await updateAuthentication(tx, call.companyId, row.id, { status: 'failed' });
    return { row, now, expired };
  }

  private declined(row: CardAuthenticationRow, reasonCode: string): CardAuthorization {
    return { status: 'declined', card: identityOf(row), reasonCode, webhookDuplicate: false };
  }

  /** Runs the authorization outcome: answers the immediate part, schedules the rest. */
  private async run(call: RailCall, card: CardIdentity, scenario: Scenario, now: Date): Promise<CardAuthorization> {
    const plan: OutcomePlan = planScenario(scenario, DEFAULTS);
    await scheduleLater(this.channel, call, plan, now, {
      reference: (status) => (status === 'succeeded' ? randomDigits(6) : undefined),
      details: { cardToken: card.token, network: card.network, last4: card.last4 },
    });
    return {
      status: plan.immediate,
      card,
      ...(plan.immediate === 'succeeded' ? { authCode: randomDigits(6) } : {}),
      ...(plan.reasonCode === undefined ? {} : { reasonCode: plan.reasonCode }),
      webhookDuplicate: plan.webhookDuplicate,
    };
  }
}

function identityOf(row: CardAuthenticationRow): CardIdentity {
  return {
    token: row.cardToken,
    bin: row.bin,
    last4: row.last4,
    network: row.network as CardNetwork,
    cardType: row.cardType as CardType,
    issuer: row.issuer,
  };
}
