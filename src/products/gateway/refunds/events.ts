import { Type } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

const nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** The refund webhook body: the refund response of reference §2.5, plus Tijori's additive fields. */
export const RefundPayload = Type.Object(
  {
    amount: Type.Number({ description: 'Refunded amount, rupees' }),
    paymentMode: Type.String(),
    bankCode: nullable('Bank, wallet or card scheme code of the payment'),
    bankName: nullable('Its name'),
    currency: Type.Literal('INR'),
    status: Type.Union([Type.Literal('CREATED'), Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
    transactionId: Type.String({ description: 'The refund transaction id (RFD…)' }),
    txnMsg: Type.String(),
    txnDate: Type.String({ description: 'Sandbox time of the last status change, ISO 8601' }),
    uniqueTransactionId: Type.String(),
    bankTransactionId: nullable('ARN (cards) or RRN (UPI, netbanking, wallets) once the refund succeeded'),
    paymentTransactionId: Type.String({ description: 'Tijori: the refunded payment' }),
    orderId: Type.String({ description: 'Tijori: the order of the payment' }),
    requestId: Type.String({ description: "Tijori: the merchant's requestId" }),
    remarks: nullable("Tijori: the merchant's remarks"),
  },
  { additionalProperties: false },
);

const example = {
  amount: 100,
  paymentMode: 'NET_BANKING',
  bankCode: 'HDFC',
  bankName: 'HDFC Bank',
  currency: 'INR' as const,
  status: 'SUCCESS' as const,
  transactionId: 'RFD1784195236818aB3xZ',
  txnMsg: 'Refund processed successfully',
  txnDate: '2026-11-27T11:30:00.000Z',
  uniqueTransactionId: 'EKR1784195236818492031',
  bankTransactionId: '612345678901',
  paymentTransactionId: 'TXN1784195100000Qw3rT',
  orderId: 'ORD1784195000000VZuxB',
  requestId: 'EK576354215522333D33233005',
  remarks: 'refund testing payu',
};

export const REFUND_SUCCESS = defineEvent({
  type: 'REFUND_SUCCESS',
  description: "A gateway refund completed on its rail (Refund Webhook Request, reference §2.5); also POSTed to the order's notifyUrl.",
  payload: RefundPayload,
  example,
});

export const REFUND_FAILED = defineEvent({
  type: 'REFUND_FAILED',
  description: "A gateway refund failed on its rail; its amount is refundable again. Also POSTed to the order's notifyUrl.",
  payload: RefundPayload,
  example: { ...example, status: 'FAILED', txnMsg: 'Refund failed', bankTransactionId: null },
});

export const REFUND_EVENTS: EventDefinition[] = [REFUND_SUCCESS, REFUND_FAILED];
