import { Type, type Static } from 'typebox';
import { defineEvent, type EventDefinition } from '../../core/events/index.js';
import { formatRupees } from '../../core/money/index.js';
import type { Transfer } from './model.js';

/**
 * The payout webhook body (reference §3, INFERRED): flat, with the configured static headers
 * (§1.6). `PAYOUT_SUCCESS`, `PAYOUT_PENDING` and `PAYOUT_FAILED` are EnKash's (CONFIRMED names);
 * `PAYOUT_REVERSED` and `PAYOUT_REJECTED` are Tijori additions.
 */
function payoutPayload<T extends string>(event: T) {
  return Type.Object(
    {
      event: Type.Literal(event, { description: 'The event type' }),
      transactionId: Type.String({ description: 'Your transactionId' }),
      enkashTransactionId: Type.String({ description: "Tijori's id of the transfer attempt" }),
      batchTransactionId: Type.Union([Type.String(), Type.Null()], { description: 'The batch it came in, if any' }),
      beneficiaryId: Type.Union([Type.String(), Type.Null()], { description: 'The registered beneficiary, or null for an inline beneficiaryDetail' }),
      transferAmount: Type.Number({ description: 'Rupees, two decimals at most' }),
      transferMode: Type.String({ description: 'IMPS, NEFT, RTGS or UPI' }),
      transferStatus: Type.String({ description: 'PENDING, REJECTED, PROCESSING, SUCCESS, FAILED or REVERSED' }),
      statusCode: Type.Union([Type.String(), Type.Null()], { description: 'REJECT_* code, or the failure or reversal reason in upper case; null otherwise' }),
      utr: Type.Union([Type.String(), Type.Null()], { description: 'Bank reference (UTR; RRN for IMPS and UPI) once the bank accepted the transfer' }),
      remarks: Type.Union([Type.String(), Type.Null()], { description: 'Human-readable status message' }),
      createdOn: Type.String({ description: 'Sandbox time of the request, ISO 8601' }),
      updatedOn: Type.String({ description: 'Sandbox time of this status, ISO 8601' }),
    },
    { additionalProperties: false },
  );
}

const example = {
  transactionId: 'TXN20261127001',
  enkashTransactionId: 'po_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX',
  batchTransactionId: null,
  beneficiaryId: 'BEN001',
  transferAmount: 1500.5,
  transferMode: 'IMPS',
  utr: '633115123456',
  createdOn: '2026-11-27T10:07:00.000Z',
  updatedOn: '2026-11-27T10:07:00.000Z',
};

export const PAYOUT_SUCCESS = defineEvent({
  type: 'PAYOUT_SUCCESS',
  description: 'A payout was credited to the beneficiary (transferStatus SUCCESS, with its UTR).',
  payload: payoutPayload('PAYOUT_SUCCESS'),
  example: { event: 'PAYOUT_SUCCESS', ...example, transferStatus: 'SUCCESS', statusCode: null, remarks: 'Transfer credited to the beneficiary' },
});

export const PAYOUT_PENDING = defineEvent({
  type: 'PAYOUT_PENDING',
  description: 'A payout is accepted but not final: queued in a batch (PENDING) or sent and awaiting the bank, e.g. a NEFT batch (PROCESSING).',
  payload: payoutPayload('PAYOUT_PENDING'),
  example: {
    event: 'PAYOUT_PENDING',
    ...example,
    transferMode: 'NEFT',
    utr: 'YESBN63311234567',
    transferStatus: 'PROCESSING',
    statusCode: null,
    remarks: 'Sent to the bank; NEFT batch at 2026-11-27T10:30:00.000Z',
  },
});

export const PAYOUT_FAILED = defineEvent({
  type: 'PAYOUT_FAILED',
  description: 'The bank could not credit a payout (transferStatus FAILED); the amount is back in the payout balance.',
  payload: payoutPayload('PAYOUT_FAILED'),
  example: {
    event: 'PAYOUT_FAILED',
    ...example,
    transferStatus: 'FAILED',
    statusCode: 'INVALID_ACCOUNT',
    remarks: 'Transfer failed (invalid_account); the amount is returned to the payout balance',
  },
});

export const PAYOUT_REVERSED = defineEvent({
  type: 'PAYOUT_REVERSED',
  description: 'Tijori addition: a successful payout was returned by the beneficiary bank (transferStatus REVERSED); the amount is back in the payout balance.',
  payload: payoutPayload('PAYOUT_REVERSED'),
  example: {
    event: 'PAYOUT_REVERSED',
    ...example,
    transferStatus: 'REVERSED',
    statusCode: 'RETURNED_BY_BENEFICIARY_BANK',
    remarks: 'Returned by the beneficiary bank (returned_by_beneficiary_bank); the amount is back in the payout balance',
  },
});

export const PAYOUT_REJECTED = defineEvent({
  type: 'PAYOUT_REJECTED',
  description:
    'Tijori addition: a payout was rejected before anything was sent (transferStatus REJECTED with a REJECT_* code); the same transactionId may be sent again.',
  payload: payoutPayload('PAYOUT_REJECTED'),
  example: {
    event: 'PAYOUT_REJECTED',
    ...example,
    utr: null,
    transferMode: 'RTGS',
    transferStatus: 'REJECTED',
    statusCode: 'REJECT_TRF_AMT',
    remarks: 'RTGS needs at least ₹2,00,000.00',
  },
});

export type PayoutEventPayload = Static<ReturnType<typeof payoutPayload<string>>>;

/** Appended to EVENT_DEFINITIONS in app.ts. */
export const PAYOUT_EVENTS: EventDefinition[] = [PAYOUT_SUCCESS, PAYOUT_PENDING, PAYOUT_FAILED, PAYOUT_REVERSED, PAYOUT_REJECTED];

/** The event a transfer's status publishes. */
export const EVENT_OF_STATUS = {
  PENDING: PAYOUT_PENDING.type,
  PROCESSING: PAYOUT_PENDING.type,
  SUCCESS: PAYOUT_SUCCESS.type,
  FAILED: PAYOUT_FAILED.type,
  REVERSED: PAYOUT_REVERSED.type,
  REJECTED: PAYOUT_REJECTED.type,
} as const;

/** The webhook body of a transfer in its current status. */
export function payoutEventPayload(t: Transfer): PayoutEventPayload {
  return {
    event: EVENT_OF_STATUS[t.status],
    transactionId: t.transactionId,
    enkashTransactionId: t.id,
    batchTransactionId: t.batchTransactionId,
    beneficiaryId: t.beneficiaryId,
    transferAmount: formatRupees(t.amountPaise),
    transferMode: t.transferMode,
    transferStatus: t.status,
    statusCode: t.statusCode,
    utr: t.utr,
    remarks: t.statusMessage,
    createdOn: t.createdAt.toISOString(),
    updatedOn: t.updatedAt.toISOString(),
  };
}
