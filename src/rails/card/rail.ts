import type { OutcomeSource, RailCall } from '../types.js';
import type { BinInfo, CardNetwork, CardType } from './rules.js';

export interface CardDetails {
  cardNumber: string;
  /** `MM/YY` (reference §2.2). */
  expiry: string;
  cvv: string;
  cardHolderName?: string;
}

/** What a product may keep about a card: never the number or the CVV (DESIGN.md, core rules). */
export interface CardIdentity {
  token: string;
  bin: string;
  last4: string;
  network: CardNetwork;
  cardType: CardType;
  issuer: string;
}

export type CardAuthorizationStatus = 'succeeded' | 'declined' | 'failed' | 'pending' | 'no_answer' | 'otp_required' | 'challenge_required';

export interface CardAuthorization {
  status: CardAuthorizationStatus;
  card: CardIdentity;
  /** Set with `otp_required` / `challenge_required`: the session to answer with submitOtp / completeChallenge. */
  authenticationId?: string;
  otpAttemptsLeft?: number;
  otpResendsLeft?: number;
  /** The issuer's approval code, with `succeeded`. */
  authCode?: string;
  reasonCode?: string;
  webhookDuplicate: boolean;
}

/**
 * The card rail: authorization with OTP or 3-D Secure authentication. Outcomes that come later
 * (`pending`, `no_answer` followed by a result) are reported through `onOutcome`, with the
 * approval code as `reference`. A real acquirer connector implements the same interface.
 */
export interface CardRail extends OutcomeSource {
  readonly rail: 'card';
  /** BIN details (EnKash `/api/v0/bin/details`) for a BIN or card prefix of at least 6 digits. */
  binDetails(prefix: string): BinInfo | undefined;
  /**
   * Authorizes an amount on a card.
   * @throws invalid_rail_input (card number, expiry, CVV), invalid_scenario, scenario_not_supported
   */
  authorize(call: RailCall, input: { card: CardDetails; amountPaise: bigint }): Promise<CardAuthorization>;
  /** Answers an OTP session. @throws card_authentication_not_found, card_authentication_completed */
  submitOtp(call: RailCall, input: { authenticationId: string; otp: string }): Promise<CardAuthorization>;
  /** Sends the OTP again, within the resend limit; `sent` is false once the limit is reached. */
  resendOtp(call: RailCall, input: { authenticationId: string }): Promise<{ sent: boolean; resendsLeft: number }>;
  /** The holder's answer on the (simulated) 3-D Secure challenge page. */
  completeChallenge(call: RailCall, input: { authenticationId: string; passed: boolean }): Promise<CardAuthorization>;
}
