import type { OutcomeSource, RailCall } from '../types.js';

export interface VpaVerification {
  vpa: string;
  exists: boolean;
  /** The account holder's name, when the VPA exists. */
  name?: string;
}

/** The answer to a collect or intent call; the payer's outcome follows through `onOutcome`. */
export interface UpiPaymentResult {
  /** `pending`: the request reached the payer; `failed`: refused at once; `no_answer`: the switch never answered. */
  status: 'pending' | 'failed' | 'no_answer';
  reasonCode?: string;
  /** When the request expires unless an outcome came first (sandbox time). */
  expiresAt: Date;
  webhookDuplicate: boolean;
}

export interface UpiIntentResult extends UpiPaymentResult {
  /** The `upi://pay` link for an intent button or a QR code. */
  uri: string;
}

export interface UpiPayee {
  vpa: string;
  name: string;
  /** Merchant category code, 4 digits. */
  mcc?: string;
}

/**
 * The UPI rail. Outcomes of collects and intents (`succeeded`, `declined`, `failed`, `expired`,
 * with the RRN as `reference`) and of mandate requests (`approved`, `rejected`) are reported
 * through `onOutcome`.
 */
export interface UpiRail extends OutcomeSource {
  readonly rail: 'upi';
  /** Looks a VPA up (EnKash "Verify UPI VPA"). @throws invalid_rail_input */
  verifyVpa(vpa: string): Promise<VpaVerification>;
  /** Sends a collect request to the payer. @throws invalid_rail_input, scenario_not_supported */
  collect(call: RailCall, input: { payerVpa: string; amountPaise: bigint; expiresInMs?: number; note?: string }): Promise<UpiPaymentResult>;
  /**
   * Builds the intent/QR link and waits for the payer; in the sandbox `payerVpa` says which test
   * payer pays it (any other VPA, or none, pays at once; the `pending` scenario waits for
   * `payerAnswers` or the expiry).
   */
  intent(
    call: RailCall,
    input: { payee: UpiPayee; amountPaise: bigint; transactionRef: string; note?: string; payerVpa?: string; expiresInMs?: number },
  ): Promise<UpiIntentResult>;
  /**
   * Sandbox: the payer of an intent that is waiting for them answers now, from their UPI app (the
   * hosted checkout's "simulate the payer" control): `pay` succeeds with an RRN, `decline` is the
   * bank's `debit_failed`. Reported through `onOutcome` like any answer; a second answer for the
   * same attempt schedules nothing, and an answer after another outcome is the product's to ignore.
   */
  payerAnswers(call: RailCall, answer: 'pay' | 'decline'): Promise<void>;
  /**
   * The payee withdraws a collect or intent still waiting for its payer (the checkout's UPI
   * countdown ended): the request is reported `expired` now, and the payer's app can no longer
   * answer it (a later `payerAnswers` schedules nothing). A payer who answered before the
   * withdrawal keeps that answer, and an outcome the bank already had under way (a late success)
   * is still reported: the product refuses to capture it.
   */
  withdraw(call: RailCall): Promise<void>;
  /** Asks the payer to approve a UPI Autopay mandate. */
  requestMandateApproval(call: RailCall, input: { payerVpa: string; amountPaise: bigint }): Promise<{ status: 'pending' | 'no_answer' }>;
}
