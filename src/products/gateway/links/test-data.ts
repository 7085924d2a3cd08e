import type { ProductTestData } from '../../../rails/index.js';

/**
 * What the sandbox documents about payment links (docs/api/gateway-links.md, ADR 0021): no magic
 * customer values, but the sandbox-clock moments and the card numbers that drive a link through
 * its statuses. The links service schedules these moments; the gateway's card test data decides
 * each payment.
 */
export const paymentLinkTestData: ProductTestData = {
  product: 'gateway_payment_links',
  title: 'Payment links (quick collect)',
  summary:
    "A payment link (`POST /api/v0/quick-collect`) is paid through its public page `/pay/link/{quickCollectRequestId}`, which opens the hosted checkout for a gateway order of the amount chosen; the card, UPI and netbanking test data of the rails decide each payment. Due date and expiry happen on the company's sandbox clock.",
  scenarios: [],
  defaultOutcome: 'the link stays ACTIVE until payments add up to its amount (PAID); PARTIALLY_PAID in between when partial payments are allowed',
  rules: [
    'Advance the sandbox clock (`POST /api/v0/sandbox/clock/advance`) past `dueDate` or `expiryDate` to see them happen.',
    'SMS and e-mail are never sent: they are recorded in the sandbox outbox (`GET /api/v0/sandbox/outbox`, page `/sandbox/outbox`).',
    'A payment captured after the link expired or was cancelled (its order was already with the bank) is recorded in `amountPaid`; the status stays EXPIRED or CANCELLED.',
  ],
  magicValues: [
    {
      kind: 'card',
      value: '4111111111111111',
      operation: 'payment link payment',
      outcome: 'captured: `PAYMENT` webhook with `paymentStatus` `SUCCESS`; the link PARTIALLY_PAID or PAID',
      description: 'Any succeeding card, UPI ID or bank of the rails does the same',
    },
    {
      kind: 'card',
      value: '4000000000000002',
      operation: 'payment link payment',
      outcome: 'declined: `PAYMENT` webhook with `paymentStatus` `FAILED`; the link unchanged',
      description: 'Any failing test value of the rails does the same',
    },
    {
      kind: 'sandbox time',
      value: 'dueDate',
      operation: 'payment link',
      outcome: '`DUE_DATE` webhook (`paymentStatus` `FAILED`, `amount` = amount due) and reminder notices, if not paid in full',
      description: 'Reminders go to the channels of `sendSms` and `sendEmail`',
    },
    {
      kind: 'sandbox time',
      value: 'expiryDate',
      operation: 'payment link',
      outcome: 'ACTIVE or PARTIALLY_PAID becomes EXPIRED; its open order is cancelled; the page takes no payment',
      description: 'No expiryDate: the link never expires',
    },
  ],
};
