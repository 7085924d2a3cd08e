import { Type } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

const nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const rupees = (description: string) => Type.Number({ description: `${description}, rupees` });

/** A settlement payout as `GET /api/v0/settlement-payout/{id}` answers it (reference §2.6) and its webhook body. */
export const SettlementPayload = Type.Object(
  {
    settlementPayoutId: Type.String(),
    merchantDetailId: Type.String({ description: 'The company id' }),
    splitAccountId: nullable("The split-settlement account paid, or null for the merchant's own settlement"),
    settlementDate: Type.String({ description: 'IST date of the batch, YYYY-MM-DD' }),
    cutoff: Type.String({ description: 'Payments captured before this instant are in the batch' }),
    totalSaleAmount: rupees('Captured amounts settled in this batch (for a split account: its shares)'),
    splitAmount: rupees('Of which routed to split-settlement accounts'),
    totalRefundAmount: rupees('Refunds deducted'),
    refundChargebackAmount: rupees('Of which refunds of payments settled in an earlier batch'),
    totalCharges: rupees('MDR'),
    totalGst: rupees('GST on MDR'),
    adjustmentAmount: rupees('Carry-forward of the previous batch recovered here'),
    carryForwardAmount: rupees('What the merchant still owes after this batch, recovered from the next'),
    totalSettlementAmount: rupees('Paid to the bank account'),
    transactionCount: Type.Integer(),
    refundCount: Type.Integer(),
    payoutStatus: Type.Union([Type.Literal('INIT'), Type.Literal('PROCESSING'), Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
    utr: nullable('UTR of the bank transfer, once sent'),
    transferMode: nullable('IMPS or RTGS'),
    bankAccountNumber: Type.String({ description: 'The account paid, masked to its last four digits' }),
    ifsc: Type.String(),
    failureReason: nullable('Why the payout failed'),
    createdOn: Type.String(),
    lastModified: Type.String(),
  },
  { additionalProperties: false },
);

const example = {
  settlementPayoutId: 'STL1784246400000kP2sQ',
  merchantDetailId: 'CEK1GZBO6A',
  splitAccountId: null,
  settlementDate: '2026-11-28',
  cutoff: '2026-11-27T18:30:00.000Z',
  totalSaleAmount: 1000,
  splitAmount: 0,
  totalRefundAmount: 100,
  refundChargebackAmount: 0,
  totalCharges: 18,
  totalGst: 3.24,
  adjustmentAmount: 0,
  carryForwardAmount: 0,
  totalSettlementAmount: 878.76,
  transactionCount: 1,
  refundCount: 1,
  payoutStatus: 'SUCCESS' as const,
  utr: '633210123456',
  transferMode: 'IMPS',
  bankAccountNumber: 'XXXXXXXX0001',
  ifsc: 'HDFC0000001',
  failureReason: null,
  createdOn: '2026-11-28T04:30:00.000Z',
  lastModified: '2026-11-28T04:30:00.000Z',
};

export const SETTLEMENT_SUCCESS = defineEvent({
  type: 'SETTLEMENT_SUCCESS',
  description: "A settlement payout reached the merchant's (or a split account's) bank account, with its UTR; or a batch with nothing to pay was closed.",
  payload: SettlementPayload,
  example,
});

export const SETTLEMENT_FAILED = defineEvent({
  type: 'SETTLEMENT_FAILED',
  description: "A settlement payout failed or was returned by the bank; the amount stays in the merchant's available balance (or the split account's payable).",
  payload: SettlementPayload,
  example: { ...example, payoutStatus: 'FAILED', failureReason: 'invalid_account' },
});

export const SETTLEMENT_EVENTS: EventDefinition[] = [SETTLEMENT_SUCCESS, SETTLEMENT_FAILED];
