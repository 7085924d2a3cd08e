import { Type, type Static } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

/**
 * The payment link webhook body (reference §2.10, CONFIRMED field list), exactly: POSTed to the
 * link's notifyUrl and to webhook configurations subscribed to the event. The merchant answers 200.
 */
export const LinkWebhookBody = Type.Object(
  {
    quickCollectRequestId: Type.String(),
    type: Type.Union([Type.Literal('PAYMENT'), Type.Literal('DUE_DATE')]),
    amount: Type.Number({ description: 'PAYMENT: the amount of this payment; DUE_DATE: the amount still due. Rupees' }),
    paymentStatus: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')], { description: 'DUE_DATE: always FAILED (not paid in full by the due date)' }),
    message: Type.String(),
    paymentDate: Type.String({ description: 'Sandbox time of the payment (PAYMENT) or the due date (DUE_DATE), ISO 8601' }),
  },
  { additionalProperties: false },
);
export type LinkWebhookBody = Static<typeof LinkWebhookBody>;

const example: LinkWebhookBody = {
  quickCollectRequestId: 'QC1767225600000K7Q2M9',
  type: 'PAYMENT',
  amount: 500,
  paymentStatus: 'SUCCESS',
  message: 'Payment of 500.00 received; 500.00 due',
  paymentDate: '2026-01-01T00:00:00.000Z',
};

export const PAYMENT_LINK_PAYMENT_SUCCESS = defineEvent({
  type: 'PAYMENT_LINK_PAYMENT_SUCCESS',
  description: "A payment of a payment link was captured (reference §2.10 webhook, type PAYMENT); also POSTed to the link's notifyUrl.",
  payload: LinkWebhookBody,
  example,
});

export const PAYMENT_LINK_PAYMENT_FAILED = defineEvent({
  type: 'PAYMENT_LINK_PAYMENT_FAILED',
  description: "A payment attempt on a payment link failed (reference §2.10 webhook, type PAYMENT, paymentStatus FAILED); also POSTed to the link's notifyUrl.",
  payload: LinkWebhookBody,
  example: { ...example, paymentStatus: 'FAILED', message: 'Payment failed: Card declined by the issuer' },
});

export const PAYMENT_LINK_DUE_DATE = defineEvent({
  type: 'PAYMENT_LINK_DUE_DATE',
  description: "A payment link reached its due date without being paid in full (reference §2.10 webhook, type DUE_DATE); also POSTed to the link's notifyUrl.",
  payload: LinkWebhookBody,
  example: { ...example, type: 'DUE_DATE', paymentStatus: 'FAILED', amount: 1000, message: 'Payment link due date reached; 1000.00 due' },
});

export const PAYMENT_LINK_EVENTS: EventDefinition[] = [PAYMENT_LINK_PAYMENT_SUCCESS, PAYMENT_LINK_PAYMENT_FAILED, PAYMENT_LINK_DUE_DATE];
