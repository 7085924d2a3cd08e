import { Type } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const epochMs = (description: string) => Type.Integer({ description: `${description}, epoch milliseconds` });

/**
 * The UPI Mandate Callback body (reference §2.9, CONFIRMED field list; `status` and `reasonCode`
 * are Tijori's additions). Instants are epoch milliseconds, as the PG token's `expiry` is; the
 * pause period keeps its snake_case keys as in the reference.
 */
export const MandateBody = Type.Object(
  {
    umn: nullableString('Unique Mandate Number (`<mandateId>@enkash` in the sandbox), once approved'),
    referenceId: Type.String({ description: "The merchant's reference of the mandate" }),
    mandateId: Type.String(),
    amount: Type.Number({ description: 'Mandate amount, whole rupees' }),
    amountRule: Type.Union([Type.Literal('EXACT'), Type.Literal('MAX')]),
    currency: Type.Literal('INR'),
    payee: Type.Object({ vpa: Type.String(), name: Type.String(), mcc: Type.String() }, { additionalProperties: false }),
    payer: Type.Object(
      { name: nullableString('Payer name'), vpa: Type.String(), account: nullableString('Payer account'), accountValidation: Type.Boolean() },
      { additionalProperties: false },
    ),
    name: Type.String({ description: 'The mandate name' }),
    expireAt: epochMs("When the payer's approval request expires"),
    blockFund: Type.Boolean(),
    revokeableByPayer: Type.Boolean(),
    recurrence: Type.Object(
      { period: Type.String(), rule: nullableString('ON, BEFORE or AFTER'), value: Type.Union([Type.Integer(), Type.Null()]) },
      { additionalProperties: false },
    ),
    validity: Type.Object({ startAt: epochMs('First instant a debit may happen'), endAt: epochMs('End of the mandate') }, { additionalProperties: false }),
    pausePeriod: Type.Union([Type.Object({ start_at: Type.Integer(), end_at: Type.Integer() }, { additionalProperties: false }), Type.Null()], {
      description: 'The pause period, epoch milliseconds, or null',
    }),
    status: Type.String({ description: 'CREATED, ACTIVE, REJECTED, EXPIRED, PAUSED, REVOKED or COMPLETED' }),
    reasonCode: nullableString('Tijori: why the mandate was rejected or expired'),
  },
  { additionalProperties: false },
);

/** The Mandate Debit Callback (reference §2.9 names it; its body was not captured: Tijori's design, docs/api/gateway-upi-mandates.md). */
export const MandateDebitBody = Type.Object(
  {
    debitId: Type.String({ description: 'The execution (MDB…)' }),
    mandateId: Type.String(),
    umn: Type.String(),
    referenceId: Type.String({ description: "The merchant's reference of this debit" }),
    notificationId: Type.String({ description: 'The pre-debit notification it executes' }),
    cycle: Type.Integer({ description: 'Recurrence cycle (0 = the first) or ASPRESENTED sequence' }),
    amount: Type.Number({ description: 'Rupees with two decimals' }),
    currency: Type.Literal('INR'),
    status: Type.Union([Type.Literal('PENDING'), Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
    transactionId: nullableString('The gateway transaction of the debit'),
    orderId: nullableString('The gateway order of the debit'),
    bankTransactionId: nullableString('The UPI RRN, on success'),
    reasonCode: nullableString('Why the debit failed'),
    txnDate: Type.String({ description: 'Sandbox time of the last status change, ISO 8601' }),
  },
  { additionalProperties: false },
);

const example = {
  umn: 'mnd1767225600000abcde@enkash',
  referenceId: 'TXN9876543',
  mandateId: 'MND1767225600000abcde',
  amount: 2540,
  amountRule: 'MAX' as const,
  currency: 'INR' as const,
  payee: { vpa: 'cek1gzbo6a@enkash', name: 'Tijori Merchant', mcc: '5411' },
  payer: { name: 'Asha Rao', vpa: 'autopay.approve@enkash', account: null, accountValidation: false },
  name: 'Streaming plan',
  expireAt: 1767312000000,
  blockFund: false,
  revokeableByPayer: true,
  recurrence: { period: 'MONTHLY', rule: 'ON', value: 10 },
  validity: { startAt: 1767225600000, endAt: 1798761600000 },
  pausePeriod: null,
  status: 'ACTIVE',
  reasonCode: null,
};

const mandateEvent = (type: string, status: string, description: string) =>
  defineEvent({
    type,
    description: `${description} UPI Mandate Callback (reference §2.9); also POSTed to the mandate's notifyUrl.`,
    payload: MandateBody,
    example: { ...example, status },
  });

export const MANDATE_APPROVED = mandateEvent('UPI_MANDATE_APPROVED', 'ACTIVE', 'The payer approved the mandate: it is ACTIVE and has its UMN.');
export const MANDATE_REJECTED = mandateEvent('UPI_MANDATE_REJECTED', 'REJECTED', 'The payer rejected the mandate.');
export const MANDATE_EXPIRED = mandateEvent('UPI_MANDATE_EXPIRED', 'EXPIRED', "The payer did not answer by the mandate's expiry.");
export const MANDATE_PAUSED = mandateEvent('UPI_MANDATE_PAUSED', 'PAUSED', 'The mandate was paused for its pausePeriod.');
export const MANDATE_RESUMED = mandateEvent('UPI_MANDATE_RESUMED', 'ACTIVE', 'The mandate was resumed, or its pause period ended.');
export const MANDATE_UPDATED = mandateEvent('UPI_MANDATE_UPDATED', 'ACTIVE', 'The mandate amount or validity end was changed.');
export const MANDATE_REVOKED = mandateEvent('UPI_MANDATE_REVOKED', 'REVOKED', 'The mandate was revoked; no further debit is possible.');
export const MANDATE_COMPLETED = mandateEvent('UPI_MANDATE_COMPLETED', 'COMPLETED', 'The mandate reached its validity end.');

const debitExample = {
  debitId: 'MDB1767916800000fGh12',
  mandateId: 'MND1767225600000abcde',
  umn: 'mnd1767225600000abcde@enkash',
  referenceId: 'DEBIT-2026-01',
  notificationId: 'MDN1767744000000Qw3rT',
  cycle: 0,
  amount: 499,
  currency: 'INR' as const,
  status: 'SUCCESS' as const,
  transactionId: 'TXN1767916800000aB3xZ',
  orderId: 'ORD1767916800000VZuxB',
  bankTransactionId: '601015123456',
  reasonCode: null,
  txnDate: '2026-01-10T04:30:00.000Z',
};

export const MANDATE_DEBIT_SUCCESS = defineEvent({
  type: 'UPI_MANDATE_DEBIT_SUCCESS',
  description: "A mandate debit was captured (Mandate Debit Callback, reference §2.9); also POSTed to the mandate's notifyUrl.",
  payload: MandateDebitBody,
  example: debitExample,
});

export const MANDATE_DEBIT_FAILED = defineEvent({
  type: 'UPI_MANDATE_DEBIT_FAILED',
  description: "A mandate debit failed at the payer's bank; the cycle may be debited again. Also POSTed to the mandate's notifyUrl.",
  payload: MandateDebitBody,
  example: { ...debitExample, status: 'FAILED', bankTransactionId: null, reasonCode: 'insufficient_funds' },
});

export const MANDATE_EVENTS: EventDefinition[] = [
  MANDATE_APPROVED,
  MANDATE_REJECTED,
  MANDATE_EXPIRED,
  MANDATE_PAUSED,
  MANDATE_RESUMED,
  MANDATE_UPDATED,
  MANDATE_REVOKED,
  MANDATE_COMPLETED,
  MANDATE_DEBIT_SUCCESS,
  MANDATE_DEBIT_FAILED,
];
