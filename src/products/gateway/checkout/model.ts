import { buildUpiUri } from '../../../rails/upi/index.js';
import { merchantPayee, quoteFees, upiNote, type Order, type Payment } from '../index.js';
import type { GatewaySettings } from '../settings/index.js';

/**
 * The hosted checkout's wire shapes (reference §2.4, CONFIRMED-SDK) and the pure rules between
 * a payment's state and what the browser sees: the UPI poll status, the return to `returnUrl`.
 */

export interface BankListItem {
  code: string;
  name: string;
  /** Logo URL; the sandbox has none (null). */
  image: string | null;
  netBankingAccountType: 'RETAIL' | 'CORPORATE';
}

export interface ProviderListItem {
  code: string;
  name: string;
}

/** `GET /pay/checkout/{orderId}`: the order detail the checkout renders (reference §2.4). */
export interface CheckoutDetail {
  orderId: string;
  merchantOrderId: string;
  orderStatus: string;
  description: string | null;
  transactionId: string;
  uniqueTransactionId: string;
  publicIdentifierKey: string;
  amount: number;
  /** The order amount before any mode's fees (fees depend on the mode chosen). */
  totalAmount: number;
  currency: 'INR';
  /** Fee rules as rupee amounts by key (`SC_UP_DEFAULT`, `CF_NB_HDFC`, …). */
  surcharges: Record<string, number>;
  /** GST percent on surcharge and convenience fee. */
  surchargeGst: number;
  merchantInfo: {
    merchantName: string;
    checkoutLogo: string | null;
    checkoutColorScheme: string | null;
    hideAppIntentLinks: boolean;
    upiVpaEnabled: boolean;
  };
  upi: boolean;
  upiQrCodeEnabled: boolean;
  creditCard: boolean;
  debitCard: boolean;
  prepaidCard: boolean;
  corporateCard: boolean;
  creditCardSchemes: string[];
  debitCardSchemes: string[];
  prepaidCardSchemes: string[];
  corporateCardSchemes: string[];
  cardSchemesSupported: string[];
  netBanking: boolean;
  netBankingList: BankListItem[];
  topNetBankingList: BankListItem[];
  wallet: boolean;
  walletList: ProviderListItem[];
  payLater: boolean;
  /** Tijori: the pay-later providers (EnKash lists them through "Get BNPL Payment Methods"). */
  payLaterList: ProviderListItem[];
  name: string | null;
  phone: string | null;
  /** Tijori: the customer's email, when the order has one. */
  email: string | null;
  skipContactInfo: boolean;
  /** Whether the order takes another attempt: a boolean, as the SDK reads it (`=== true`); the orders API keeps the count. */
  paymentAttemptLeft: boolean;
  checkoutProcessURL: string;
  checkoutCancelURL: string;
  returnURL: string | null;
  upiCollectTimeout: number;
  savedCards: never[];
  points: boolean;
  connectedBanking: boolean;
  multiplePaymentOption: boolean;
  anyPaymentModeActive: boolean;
  error: string | null;
  /** Tijori: when the order expires (sandbox time) and how many seconds that leaves. */
  expiresAt: string;
  expiresInSeconds: number;
  /** Tijori: how often the page polls a UPI status (reference §2.4: 5 s). */
  pollIntervalMs: number;
}

/** The cadence of EnKash's own checkout when it waits for a UPI payment (reference §2.4). */
export const UPI_POLL_INTERVAL_MS = 5_000;

/** The checkout's endpoints, as the order detail names them. */
export const CHECKOUT_PROCESS_URL = '/pay/charge/process';
export const CHECKOUT_CANCEL_URL = '/pay/charge/cancel';

/** The banks shown first in the netbanking picker (by `bankCode`). */
export const TOP_NETBANKING_CODES = ['HDFC', 'ICIC', 'SBIN', 'UTIB', 'KKBK', 'YESB'] as const;

/** The UPI apps of `GET /pay/checkout/upi-detail/{transactionId}` (reference §2.4) and the intent's `bankCode`. */
export const UPI_APPS = ['gpay', 'phonepe', 'paytm', 'upi'] as const;
export type UpiApp = (typeof UPI_APPS)[number];

/** What a payment looks like to the checkout: its status and whether the rail or the holder still has to answer. */
export interface PaymentView {
  status: string;
  /** G2's step: NEW, PROCESSING, OTP, CHALLENGE, BANK, DONE. */
  step: string;
}

/**
 * `GET /pay/checkout/status/upi/{ekPayId}` (reference §2.4): `PROCESS` while the payer has not
 * answered; `SUCCESS` once captured (or refunded since); `FAILED` for a failure, a cancellation or
 * an expiry. The SDK treats `PENDING_WITH_BANK` as a final success, so a payment still waiting for
 * the payer is `PROCESS` here whatever its stored status.
 */
export function upiPollStatus(payment: PaymentView): 'PROCESS' | 'SUCCESS' | 'FAILED' {
  if (['SUCCESS', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(payment.status)) return 'SUCCESS';
  if (payment.status === 'FAILED' || payment.status === 'CANCELLED') return 'FAILED';
  return 'PROCESS';
}

/** Whether the browser is done with the payment and goes back to the merchant. */
export function isFinal(payment: PaymentView): boolean {
  return upiPollStatus(payment) !== 'PROCESS';
}

/** The SDK's `payment_status` alias (reference §2.3): success, failed or cancelled. */
export function paymentStatusAlias(status: string): 'success' | 'failed' | 'cancelled' {
  if (['SUCCESS', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(status)) return 'success';
  if (status === 'CANCELLED') return 'cancelled';
  return 'failed';
}

/** Rupee fields, written with two decimals in the return (`100.00`, as the checksum signs `amount`). */
const MONEY_KEYS = new Set(['amount', 'surcharge', 'surchargeGst', 'finalAmount', 'transactionAmount']);

/**
 * The query of the return to `returnUrl` (reference §2.3): every scalar field of the minimal
 * payload, stringified (amounts with two decimals), plus the SDK's aliases `order_id` (uniqueTransactionId), `payment_id`
 * (transactionId), `signature` (checksum) and `payment_status`. Objects (`customParameters`) are
 * sent as JSON strings; null fields are left out.
 */
export function returnParams(minimal: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(minimal)) {
    if (value === null || value === undefined) continue;
    if (MONEY_KEYS.has(key) && typeof value === 'number') params.set(key, value.toFixed(2));
    else params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const status = String(minimal['status'] ?? minimal['transactionStatus'] ?? '');
  params.set('order_id', String(minimal['uniqueTransactionId'] ?? ''));
  params.set('payment_id', String(minimal['transactionId'] ?? ''));
  params.set('signature', String(minimal['checksum'] ?? ''));
  params.set('payment_status', paymentStatusAlias(status));
  return params;
}

/** `returnUrl` with the return query appended to any query it already has. */
export function returnLocation(returnUrl: string, minimal: Record<string, unknown>): string {
  const url = new URL(returnUrl);
  for (const [key, value] of returnParams(minimal)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * The `upi://pay` link the rail registers for the transaction's UPI intent (payments' modes.ts):
 * the merchant's payee, the amount with UPI's fees, the transaction's reference and the order's
 * note. `upi-detail` shows it before anything is registered (ADR 0035).
 */
export function intentUri(
  order: Pick<Order, 'companyId' | 'amountPaise' | 'merchantOrderId'>,
  payment: Pick<Payment, 'uniqueTransactionId'>,
  settings: Pick<GatewaySettings, 'merchantName' | 'feeRules' | 'surchargeGstPercent'>,
): string {
  const payee = merchantPayee(order.companyId, settings.merchantName);
  return buildUpiUri({
    pa: payee.vpa,
    pn: payee.name,
    amountPaise: quoteFees(settings, order.amountPaise, 'UPI').finalAmountPaise,
    tr: payment.uniqueTransactionId,
    tn: upiNote(order),
  });
}
