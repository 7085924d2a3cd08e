// The payments service's types and constants (ADR 0028 split payments/service.ts by responsibility).
import type { Executor } from '../../../core/db/engine.js';
import type { SandboxClock, Timers } from '../../../core/jobs/types.js';
import type { Ledger } from '../../../core/ledger/index.js';
import type { Rails, Scenario } from '../../../rails/index.js';
import type { CardDetails } from '../../../rails/card/index.js';
import type { Order } from '../orders/model.js';
import type { GatewaySettings, PaymentMode } from '../settings/index.js';
import type { SplitDetailInput, SplitShare } from '../split/index.js';
import type { FeeQuote, GatewayRail, Payment, UpiFlow } from './model.js';

/** The rails' outcome listener of gateway payments (`RailCall.replyTo`). */
export const PAYMENTS_REPLY_TO = 'gateway.payments';
export const PAYMENT_TIMEOUT_TIMER = 'gateway.payment.timeout';
/** The resultCode of a UPI attempt whose request the checkout withdrew (its countdown ended): a later success is not captured (ADR 0045). */
export const UPI_WITHDRAWN = 'upi_request_withdrawn';
/** An attempt on a card, netbanking or wallet that the bank has not settled fails after this long (sandbox time). */
export const BANK_TIMEOUT_MINUTES = 15;
/** A UPI attempt fails this long after the collect expiry, if the rail reported nothing by then. */
export const UPI_TIMEOUT_GRACE_MINUTES = 1;

/** What the customer (or the merchant's server) chose: submit's fields (reference §2.2). */
export interface PaymentDetailInput {
  paymentMode: PaymentMode;
  cardNumber?: string | undefined;
  cvv?: string | undefined;
  expiry?: string | undefined;
  cardHolderName?: string | undefined;
  bankCode?: string | undefined;
  bnplPaymentOptionId?: string | undefined;
  vpa?: string | undefined;
  accountNumber?: string | undefined;
  ifsc?: string | undefined;
}

export interface PaymentContext {
  /** The `X-Tijori-Scenario` of the request. */
  scenario?: Scenario | undefined;
  /** Completes the request's Idempotency-Key in the transaction that records the answer. */
  finish?: ((tx: Executor, result: PaymentResult) => Promise<void>) | undefined;
  /**
   * Submit only: the attempt an earlier run of this same request (its Idempotency-Key) created
   * before its process died; the submit carries it on instead of creating another (ADR 0026).
   */
  resume?: string | undefined;
  /** Submit only: records the new attempt as the request's recovery point, in its creating transaction. */
  checkpoint?: ((tx: Executor, transactionId: string) => Promise<void>) | undefined;
}

export interface PaymentResult {
  payment: Payment;
  order: Order;
  /** Set while the holder is asked for an OTP. */
  otp?: { attemptsLeft: number; resendsLeft: number } | undefined;
}

/** Called in the capture transaction, before the ledger posting that ends it: settlement scheduling for every capture, and the listener of the order's origin (payment link, UPI QR, mandate debit). */
export type CapturedListener = (tx: Executor, payment: Payment, order: Order) => Promise<void>;
/** Called in the transaction that fails an attempt, after its PAYMENT_FAILED event (payment links and mandate debits use it). */
export type FailedListener = (tx: Executor, payment: Payment, order: Order) => Promise<void>;

export interface PaymentsDeps {
  db: Executor;
  clocks: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  rails: Pick<Rails, 'card' | 'upi' | 'netbanking' | 'wallet'>;
  events: { publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }> };
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
  /** The merchant secret that keys the notify checksum (the merchant service's `secretFor`). */
  secretFor(companyId: string, accessKey: string | null): Promise<string>;
  /** The split service's check of `splitDetails[]` (reference §2.7), run in the submission's transaction. */
  split: { validateSplitDetails(exec: Executor, companyId: string, details: readonly SplitDetailInput[], amountPaise: bigint): Promise<SplitShare[]> };
}

/** A UPI payment the payer started in their own app (a scanned QR code): the payer's VPA. */
export interface FromUpiApp {
  payerVpa: string;
}

/** What a caller already read, so that it is not read again (an order's fixed fields, the settings). */
export interface Known {
  order?: Order | undefined;
  settings?: GatewaySettings | undefined;
}

export interface Prepared {
  mode: PaymentMode;
  rail: GatewayRail;
  upiFlow: UpiFlow | null;
  quote: FeeQuote;
  bankCode: string | null;
  bankName: string | null;
  card: CardDetails | null;
  vpa: string | null;
}
