import { randomChars } from '../../../core/ids/ids.js';

/** The customer's e-mail and mobile an order accepts (reference §2.4); a payment button's click checks the same. */
export const CUSTOMER_EMAIL_PATTERN = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$';
export const CUSTOMER_MOBILE_PATTERN = '^[6-9]\\d{9}$';

/**
 * Order statuses (reference §2.1, CONFIRMED; PAYMENT_CONFIRMATION_PENDING from the older docs).
 * PAYMENT_CONFIRMATION_PENDING (Tijori's reading): an attempt is with the bank or the payer's UPI
 * app, waiting for the rail to confirm it (transaction PENDING_WITH_BANK or AUTHORIZED); it leaves
 * for PAID on success, for ATTEMPTED on failure, or for EXPIRED on a failure past `expiresAt`.
 */
export const ORDER_STATUSES = ['CREATED', 'CHECKOUT_RENDERED', 'ATTEMPTED', 'PAYMENT_CONFIRMATION_PENDING', 'PAID', 'CANCELLED', 'EXPIRED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The states in which an order takes no payment (reference §2.1, CONFIRMED-SDK). */
export const NON_PAYABLE: readonly OrderStatus[] = ['PAID', 'CANCELLED', 'EXPIRED'];

export function isPayable(status: OrderStatus): boolean {
  return !NON_PAYABLE.includes(status);
}

export interface CustomerInfo {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  address?: Record<string, string>;
}

/** What made an order (ADR 0028): the one product its payments' outcomes are handed to. */
export const ORDER_ORIGIN_KINDS = ['API', 'LINK', 'QR', 'BUTTON', 'MANDATE', 'BBPS', 'VERIFICATION'] as const;
export type OrderOriginKind = (typeof ORDER_ORIGIN_KINDS)[number];
export interface OrderOrigin {
  kind: OrderOriginKind;
  /** The link, QR code, button, mandate debit or utility bill (BBPS, ADR 0045); null for an API order. */
  id: string | null;
}

export interface Order {
  /** EnKash's order id. */
  id: string;
  companyId: string;
  merchantOrderId: string;
  accessKey: string | null;
  amountPaise: bigint;
  currency: 'INR';
  status: OrderStatus;
  returnUrl: string | null;
  notifyUrl: string | null;
  description: string | null;
  customerInfo: CustomerInfo | null;
  customParameters: Record<string, string> | null;
  tpvAccountNumber: string | null;
  tpvIfsc: string | null;
  maxAttempts: number;
  attemptsUsed: number;
  paidTransactionId: string | null;
  cancelReason: string | null;
  originKind: OrderOriginKind;
  originId: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random letters or digits after the epoch milliseconds of an `ORD`/`TXN` id: 16 of 62 symbols,
 * about 95 bits. The id alone addresses the public checkout routes (ADR 0035), so it must not be
 * guessable; EnKash's ids show 5 (`ORD1784195236818VZuxB`, reference §12), and clients see the
 * same shape, only a longer suffix.
 */
export const ID_SUFFIX_LENGTH = 16;

/** EnKash's order id: `ORD` + epoch milliseconds (sandbox time) + ID_SUFFIX_LENGTH letters or digits (reference §12). */
export function newOrderId(at: Date): string {
  return `ORD${at.getTime()}${randomChars(ALNUM, ID_SUFFIX_LENGTH)}`;
}

/** Attempts the order still allows (`paymentAttemptLeft`, reference §2.4). */
export function attemptsLeft(order: Pick<Order, 'maxAttempts' | 'attemptsUsed'>): number {
  return order.maxAttempts - order.attemptsUsed;
}
