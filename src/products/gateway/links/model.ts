import { randomChars } from '../../../core/ids/ids.js';

/** Link statuses: reference §2.10 INFERRED list, plus PARTIALLY_PAID for partial payments (ADR 0021). */
export const LINK_STATUSES = ['ACTIVE', 'PARTIALLY_PAID', 'PAID', 'EXPIRED', 'CANCELLED'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** The states in which the link's page takes a payment. */
export const OPEN_STATUSES: readonly LinkStatus[] = ['ACTIVE', 'PARTIALLY_PAID'];
export const isOpen = (status: LinkStatus) => OPEN_STATUSES.includes(status);

export interface PaymentLink {
  id: string;
  companyId: string;
  referenceId: string | null;
  accessKey: string | null;
  amountPaise: bigint;
  amountPaidPaise: bigint;
  partialPayment: boolean;
  minPartialPaise: bigint | null;
  customerName: string | null;
  customerEmail: string | null;
  customerMobile: string | null;
  description: string | null;
  notifyUrl: string | null;
  sendSms: boolean;
  sendEmail: boolean;
  paymentLink: string;
  status: LinkStatus;
  dueDate: Date | null;
  expiryDate: Date | null;
  cancelledAt: Date | null;
  paidAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LinkOrder {
  orderId: string;
  companyId: string;
  linkId: string;
  sequence: number;
  amountPaise: bigint;
  status: 'OPEN' | 'PAID' | 'CANCELLED';
  transactionId: string | null;
  paymentMode: string | null;
  paidAt: Date | null;
  createdAt: Date;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `QC` + epoch ms (sandbox time) + 6 upper-case letters or digits, in the style of EnKash's other ids. */
export function newLinkId(at: Date): string {
  return `QC${at.getTime()}${randomChars(ALNUM, 6)}`;
}

export const amountDue = (link: Pick<PaymentLink, 'amountPaise' | 'amountPaidPaise'>): bigint =>
  link.amountPaidPaise >= link.amountPaise ? 0n : link.amountPaise - link.amountPaidPaise;

/**
 * What the page may charge now: the whole amount due, or with partial payments anything from the
 * minimum (capped at the amount due, so the last instalment can be small) up to the amount due.
 */
export function payableRange(link: PaymentLink): { minPaise: bigint; maxPaise: bigint } {
  const due = amountDue(link);
  if (!link.partialPayment) return { minPaise: due, maxPaise: due };
  const min = link.minPartialPaise ?? 1n;
  return { minPaise: min < due ? min : due, maxPaise: due };
}

/** The status after `paidPaise` in total was captured (an open link only). */
export function statusAfterPayment(link: Pick<PaymentLink, 'amountPaise'>, paidPaise: bigint): LinkStatus {
  return paidPaise >= link.amountPaise ? 'PAID' : 'PARTIALLY_PAID';
}
