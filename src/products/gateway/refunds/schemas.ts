import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { rupeesSchema } from '../../../core/money/index.js';
import { RefundPayload } from './events.js';

// Route schemas of the refund APIs (reference §2.5; docs/api/gateway-refunds-settlements.md).

export const refundBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'requestId'],
  properties: {
    // The CONFIRMED example sends "100": a string of rupees is accepted beside a number.
    amount: {
      anyOf: [rupeesSchema, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$', maxLength: 20 }],
      description: 'Rupees with at most two decimals, as a number or a string ("100")',
    },
    remarks: { type: 'string', maxLength: 255 },
    requestId: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: "The merchant's unique id of this refund; a repeat answers the first refund",
    },
  },
} as const;

/** Refund Enquiry (reference §2.5: POST; the fields are Tijori's): one of the two ids, or both. */
export const enquiryBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    refundTransactionId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: "The refund's transactionId (RFD…)" },
    requestId: { ...refundBody.properties.requestId, description: 'The requestId the refund was made with' },
  },
} as const;

export const paymentParams = {
  type: 'object',
  required: ['transactionId'],
  properties: { transactionId: { type: 'string', maxLength: 64 } },
} as const;

export const refundParams = {
  type: 'object',
  required: ['refundTransactionId'],
  properties: { refundTransactionId: { type: 'string', maxLength: 64 } },
} as const;

export const refundResponse = envelopeSchema(RefundPayload);
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
