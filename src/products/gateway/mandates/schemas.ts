import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { rupeesSchema } from '../../../core/money/index.js';
import { MandateBody, MandateDebitBody } from './events.js';
import { AMOUNT_RULES, RECURRENCE_PERIODS, RECURRENCE_RULES } from './model.js';

// Route schemas of the UPI Autopay APIs (reference §2.9; docs/api/gateway-upi-mandates.md).

const REF = { minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' } as const;
const instant = (description: string) =>
  Type.String({ format: 'date-time', description: `${description}, ISO 8601 with a zone`, examples: ['2026-01-01T00:00:00+05:30'] });
/**
 * A validity edge: a date-time, or epoch milliseconds as the UPI Mandate Callback sends
 * `validity` (reference §2.9), so a client may send back what it received.
 */
const instantOrEpochMs = (description: string) =>
  // The integer first: ajv coerces types, and a number tried against the string first would become one.
  // 13 digits (2001–2286): epoch seconds sent by mistake, and a boolean coerced to 1, are refused.
  Type.Union([
    Type.Integer({
      minimum: 1_000_000_000_000,
      maximum: 9_999_999_999_999,
      description: `${description}, epoch milliseconds (13 digits)`,
      examples: [1767205800000],
    }),
    instant(description),
  ]);
const url = (description: string) => Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description });
const rupees = Type.Number({ ...rupeesSchema, minimum: 0.01, description: 'Rupees, at most two decimals' });
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const createMandateBody = Type.Object({
  referenceId: Type.String({ ...REF, description: 'Your reference of the mandate, unique in your company', examples: ['TXN9876543'] }),
  amount: Type.Integer({ minimum: 1, maximum: 100_000, description: 'Whole rupees (reference §2.9: an integer); at most 100000', examples: [2540] }),
  amountRule: literals(AMOUNT_RULES),
  currency: Type.Literal('INR'),
  payer: Type.Object({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 99 })),
    vpa: Type.String({
      minLength: 3,
      maxLength: 255,
      description: "The payer's VPA; test VPAs decide the approval (docs/sandbox.md)",
      examples: ['autopay.approve@enkash'],
    }),
    account: Type.Optional(Type.String({ minLength: 9, maxLength: 36, pattern: '^[0-9A-Za-z]+$' })),
    accountValidation: Type.Optional(Type.Boolean()),
  }),
  mandateName: Type.String({ minLength: 1, maxLength: 100 }),
  expiry: instant('The payer must approve by then, else the mandate is EXPIRED'),
  blockFund: Type.Optional(Type.Boolean()),
  revokeableByPayer: Type.Optional(Type.Boolean({ description: 'Tijori: default true' })),
  recurrence: Type.Object({
    period: literals(RECURRENCE_PERIODS),
    rule: Type.Optional(literals(RECURRENCE_RULES)),
    value: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, description: 'Day of week (1 = Monday) for WEEKLY and FORTNIGHTLY, day of month otherwise' })),
  }),
  validity: Type.Object({ startAt: instantOrEpochMs('First instant of the mandate'), endAt: instantOrEpochMs('End of the mandate') }),
  upiReferenceUrl: Type.Optional(url('Shown to the payer with the request')),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  notifyUrl: Type.Optional(url('Where the mandate and debit callbacks are POSTed')),
});

export const updateMandateBody = Type.Object({
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'New mandate amount, whole rupees' })),
  validity: Type.Optional(Type.Object({ endAt: instantOrEpochMs('New end of the mandate') })),
});

export const pauseBody = Type.Object({
  pausePeriod: Type.Object({ startAt: instant('Start of the pause (now if in the past)'), endAt: instant('End of the pause') }),
});

export const notifyBody = Type.Object({
  mandateId: Type.String(REF),
  amount: rupees,
  executionDate: instant('When the debit will be executed, at least 24 hours from now'),
});

export const executeBody = Type.Object({
  mandateId: Type.String(REF),
  amount: rupees,
  referenceId: Type.String({ ...REF, description: 'Your reference of this debit; a repeat answers the first debit' }),
  notificationId: Type.Optional(Type.String({ ...REF, description: 'The pre-debit notification executed (required for ASPRESENTED mandates)' })),
});

export const mandateParams = Type.Object({ mandateId: Type.String(REF) });
export const debitParams = Type.Object({ debitId: Type.String(REF) });

export const NotificationView = Type.Object({
  notificationId: Type.String(),
  mandateId: Type.String(),
  cycle: Type.Integer(),
  amount: Type.Number(),
  executionDate: Type.String(),
  message: Type.String({ description: 'What the payer was told' }),
  sentAt: Type.String(),
});

export const mandateResponse = envelopeSchema(MandateBody);
export const debitResponse = envelopeSchema(MandateDebitBody);
export const notificationResponse = envelopeSchema(NotificationView);
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
