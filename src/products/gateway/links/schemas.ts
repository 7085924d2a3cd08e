import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../../core/money/index.js';
import { ID } from '../index.js';
import { amountDue, LINK_STATUSES, type LinkOrder, type PaymentLink } from './model.js';

/** Route schemas of payment links (reference §2.10 INFERRED fields; docs/api/gateway-links.md). */
const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const instant = (description: string) => Type.String({ format: 'date-time', maxLength: 40, description });
const STATUS = Type.Union(LINK_STATUSES.map((s) => Type.Literal(s)));
// The patterns of Create Order's customerInfo (reference §2.4), so a link's customer fits its orders.
const EMAIL = { maxLength: 254, pattern: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$' } as const;
const MOBILE = { pattern: '^[6-9]\\d{9}$', description: 'Indian mobile number, 10 digits' } as const;

export const createLinkBody = Type.Object(
  {
    amount: Type.Number({ ...rupeesSchema, description: 'Rupees to collect, at most two decimals' }),
    referenceId: Type.Optional(Type.String({ ...ID, description: 'Your id of this request, unique in your company (a repeat is 409)' })),
    customerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    customerEmail: Type.Optional(Type.String({ ...EMAIL, examples: ['asha@example.com'] })),
    customerMobile: Type.Optional(Type.String({ ...MOBILE, examples: ['9876543210'] })),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    dueDate: Type.Optional(instant('When payment is due (ISO 8601 with a zone): the DUE_DATE webhook and a reminder fire then if not paid in full')),
    expiryDate: Type.Optional(instant('When the link stops taking payments (ISO 8601 with a zone); none: it never expires')),
    notifyUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description: 'Where the §2.10 webhook is POSTed' })),
    sendSms: Type.Optional(Type.Boolean({ description: 'Send the link by SMS to customerMobile (sandbox: recorded in the outbox)' })),
    sendEmail: Type.Optional(Type.Boolean({ description: 'Send the link by e-mail to customerEmail (sandbox: recorded in the outbox)' })),
    partialPayment: Type.Optional(Type.Boolean({ description: 'Let the customer pay in several parts' })),
    minPartialAmount: Type.Optional(Type.Number({ ...rupeesSchema, description: 'Tijori: the smallest part a customer may pay (partialPayment only)' })),
  },
  { additionalProperties: false },
);

const linkPayment = Type.Object({
  orderId: Type.String({ description: 'The gateway order the link page created' }),
  transactionId: Type.String(),
  amount: Type.Number(),
  paymentMode: nullable(Type.String()),
  paymentDate: Type.String(),
});

const linkView = Type.Object({
  quickCollectRequestId: Type.String({ examples: ['QC1767225600000K7Q2M9'] }),
  referenceId: nullable(Type.String()),
  paymentLink: Type.String({ description: 'The public page: <public base>/pay/link/{quickCollectRequestId}' }),
  status: STATUS,
  amount: Type.Number(),
  amountPaid: Type.Number(),
  amountDue: Type.Number(),
  partialPayment: Type.Boolean(),
  minPartialAmount: nullable(Type.Number()),
  customerName: nullable(Type.String()),
  customerEmail: nullable(Type.String()),
  customerMobile: nullable(Type.String()),
  description: nullable(Type.String()),
  dueDate: nullable(Type.String()),
  expiryDate: nullable(Type.String()),
  notifyUrl: nullable(Type.String()),
  sendSms: Type.Boolean(),
  sendEmail: Type.Boolean(),
  createdOn: Type.String(),
  lastModified: Type.String(),
  paidOn: nullable(Type.String()),
  cancelledOn: nullable(Type.String()),
  payments: Type.Array(linkPayment, { description: 'Captured payments, oldest first (empty in lists)' }),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function serializeLink(link: PaymentLink, payments: LinkOrder[] = []) {
  return {
    quickCollectRequestId: link.id,
    referenceId: link.referenceId,
    paymentLink: link.paymentLink,
    status: link.status,
    amount: formatRupees(link.amountPaise),
    amountPaid: formatRupees(link.amountPaidPaise),
    amountDue: formatRupees(amountDue(link)),
    partialPayment: link.partialPayment,
    minPartialAmount: link.minPartialPaise === null ? null : formatRupees(link.minPartialPaise),
    customerName: link.customerName,
    customerEmail: link.customerEmail,
    customerMobile: link.customerMobile,
    description: link.description,
    dueDate: iso(link.dueDate),
    expiryDate: iso(link.expiryDate),
    notifyUrl: link.notifyUrl,
    sendSms: link.sendSms,
    sendEmail: link.sendEmail,
    createdOn: link.createdAt.toISOString(),
    lastModified: link.updatedAt.toISOString(),
    paidOn: iso(link.paidAt),
    cancelledOn: iso(link.cancelledAt),
    payments: payments.map((p) => ({
      orderId: p.orderId,
      transactionId: p.transactionId ?? '',
      amount: formatRupees(p.amountPaise),
      paymentMode: p.paymentMode,
      paymentDate: (p.paidAt ?? p.createdAt).toISOString(),
    })),
  };
}

export const linkResponse = envelopeSchema(linkView, 'The payment link');
export const linkPageResponse = envelopeSchema(pageSchema(linkView), 'A page of payment links, newest first');
export const linkIdParams = Type.Object({ quickCollectRequestId: Type.String({ ...ID, description: 'The quickCollectRequestId' }) });
export const linkSearchQuery = Type.Object(
  {
    ...pageQueryProperties,
    status: Type.Optional(STATUS),
    referenceId: Type.Optional(Type.String(ID)),
  },
  { additionalProperties: false },
);
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
