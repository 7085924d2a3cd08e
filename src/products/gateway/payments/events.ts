import { Type, type Static } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const rupees = (description: string) => Type.Number({ description: `${description}, rupees with two decimals` });

/**
 * The Payment Notify body (reference §2.3, CONFIRMED field list): 25 fields, all present; those a
 * mode does not have are null (a UPI payment has no card scheme). POSTed to the order's
 * `notifyUrl` and to webhook configurations subscribed to the event.
 */
export const NotifyBody = Type.Object(
  {
    surcharge: rupees('Surcharge + convenience fee + platform fee'),
    surchargeGst: rupees('GST on the fees'),
    amount: rupees('The order amount'),
    finalAmount: rupees('amount + surcharge + surchargeGst'),
    paymentMode: Type.String({ description: 'NET_BANKING, UPI, CREDIT_CARD, DEBIT_CARD, PREPAID_CARD, PAY_LATER, WALLET or CORPORATE_CARD' }),
    bankCode: nullableString('Bank, wallet or card issuer code'),
    bankName: nullableString('Bank, wallet or card issuer name'),
    cardScheme: nullableString('VISA, MASTERCARD, RUPAY, AMEX or DINERS for cards'),
    currency: Type.Literal('INR'),
    checksum: Type.String({
      description: 'hex(HMAC-SHA256(secretKey, orderId|transactionId|uniqueTransactionId|amount|status)), docs/api/gateway-payments.md',
    }),
    status: Type.String({ description: 'The transaction status (SUCCESS, FAILED)' }),
    transactionId: Type.String(),
    txnMsg: Type.String({ description: 'Why the transaction stands where it is' }),
    txnDate: Type.String({ description: 'Sandbox time of the outcome, ISO 8601' }),
    uniqueTransactionId: Type.String(),
    maskedCardNumber: nullableString("BIN, X's, last four digits, for cards"),
    cardHolderName: nullableString('For cards'),
    paymentToken: nullableString('The card token, for cards'),
    bankTransactionId: nullableString("Approval code, UPI RRN or the provider's reference, on success"),
    mdr: rupees('Merchant discount rate deducted at settlement'),
    mdrGst: rupees('GST on the MDR'),
    transactionAmount: rupees('What the customer paid (finalAmount)'),
    orderId: Type.String({ description: "EnKash's order id" }),
    orderStatus: Type.String({
      description: 'The order status after the outcome: PAID on success; on a failure ATTEMPTED (payable again) or EXPIRED (past expiresAt)',
    }),
    transactionStatus: Type.String({ description: 'Same as status' }),
  },
  { additionalProperties: false },
);
export type NotifyBody = Static<typeof NotifyBody>;

const example: NotifyBody = {
  surcharge: 10,
  surchargeGst: 1.8,
  amount: 100,
  finalAmount: 111.8,
  paymentMode: 'CREDIT_CARD',
  bankCode: 'HDFC',
  bankName: 'HDFC Bank',
  cardScheme: 'VISA',
  currency: 'INR',
  checksum: '5878fce2da2adf6a5b06efe0afc2e302bce2d6cb24dc9817df3c0a90d1aa09ac',
  status: 'SUCCESS',
  transactionId: 'TXN1767225600000Ab3dE',
  txnMsg: 'Transaction successful',
  txnDate: '2026-01-01T00:00:00.000Z',
  uniqueTransactionId: 'EK1767225600000K7Q2M9XZ',
  maskedCardNumber: '411111XXXXXX1111',
  cardHolderName: 'Asha Rao',
  paymentToken: 'ctok_01KDX0000000000000000000000',
  bankTransactionId: '482913',
  mdr: 1.8,
  mdrGst: 0.32,
  transactionAmount: 111.8,
  orderId: 'ORD1767225600000VZuxB',
  orderStatus: 'PAID',
  transactionStatus: 'SUCCESS',
};

export const PAYMENT_SUCCESS = defineEvent({
  type: 'PAYMENT_SUCCESS',
  description: "A gateway payment was captured and its order paid (reference §2.3 Payment Notify); also POSTed to the order's notifyUrl.",
  payload: NotifyBody,
  example,
});

export const PAYMENT_FAILED = defineEvent({
  type: 'PAYMENT_FAILED',
  description:
    "A gateway payment attempt failed: declined, timed out, cancelled by a newer attempt or abandoned (reference §2.3 Payment Notify); also POSTed to the order's notifyUrl.",
  payload: NotifyBody,
  example: {
    ...example,
    checksum: 'd11e83bb391dc5c855d20941a53dccdf98ce47cadb7c82d038efac24020521ec',
    status: 'FAILED',
    transactionStatus: 'FAILED',
    txnMsg: 'Declined by the issuer (card_declined)',
    bankTransactionId: null,
    mdr: 0,
    mdrGst: 0,
    orderStatus: 'ATTEMPTED',
  },
});

/** The gateway payments' events, appended to EVENT_DEFINITIONS in app.ts. */
export const PAYMENT_EVENTS: EventDefinition[] = [PAYMENT_SUCCESS, PAYMENT_FAILED];
