import { Type } from 'typebox';
import { envelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../../core/money/index.js';
import { PAYMENT_MODES } from '../settings/index.js';
import { ID } from '../orders/schemas.js';
import { splitDetailsSchema, type SplitDetailInput } from '../split/index.js';
import { NotifyBody } from './events.js';
import { PAYMENT_STATUSES, type Payment } from './model.js';
import type { PaymentResult } from './service.js';

/** Route schemas of the payments API (reference §2.2, §2.4): validation and /openapi.json. */
const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const modeSchema = Type.Union(
  PAYMENT_MODES.map((m) => Type.Literal(m)),
  { description: 'Reference §2.2' },
);

export const submitBody = Type.Object(
  {
    orderId: Type.String({ ...ID, description: "EnKash's order id (or yours)" }),
    paymentDetail: Type.Optional(
      Type.Object(
        { amount: Type.Optional(Type.Number(rupeesSchema)), currency: Type.Optional(Type.Literal('INR')) },
        { description: "When sent, the amount must be the order's" },
      ),
    ),
    paymentMode: modeSchema,
    cardHolderName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['Asha Rao'] })),
    cardNumber: Type.Optional(Type.String({ minLength: 12, maxLength: 23, pattern: '^[0-9 -]+$', examples: ['4111111111111111'] })),
    cvv: Type.Optional(Type.String({ pattern: '^[0-9]{3,4}$', examples: ['123'] })),
    expiry: Type.Optional(Type.String({ pattern: '^[0-9]{2}/[0-9]{2}$', description: 'MM/YY', examples: ['12/30'] })),
    bankCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Netbanking bank, wallet or pay-later provider' })),
    bnplPaymentOptionId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    vpa: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: "UPI collect: the payer's VPA; without it a UPI payment is an intent" })),
    accountNumber: Type.Optional(Type.String({ minLength: 9, maxLength: 36, examples: ['123456789012'] })),
    ifsc: Type.Optional(Type.String({ pattern: '^[A-Z]{4}0[A-Z0-9]{6}$', examples: ['HDFC0001234'] })),
    splitDetails: Type.Optional(
      Type.Unsafe<SplitDetailInput[]>({
        ...splitDetailsSchema,
        description: 'Split settlement (reference §2.7): shares of the order amount paid to your split accounts at settlement',
      }),
    ),
  },
  { additionalProperties: false },
);

export const submitView = Type.Object({
  transactionId: Type.String(),
  uniqueTransactionId: Type.String(),
  orderId: Type.String(),
  transactionStatus: Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s))),
  orderStatus: Type.String(),
  paymentMode: nullable(Type.String()),
  amount: Type.Number(),
  surcharge: Type.Number(),
  surchargeGst: Type.Number(),
  finalAmount: Type.Number(),
  currency: Type.Literal('INR'),
  redirectionUrl: nullable(Type.String({ description: 'The simulated bank page (OTP or 3-D Secure), when the holder has a step to take' })),
  renderOtpPage: Type.Boolean(),
  rupay: Type.Boolean(),
  otpAttemptsLeft: nullable(Type.Integer()),
  otpResendsLeft: nullable(Type.Integer()),
  intentUrl: nullable(Type.String({ description: 'UPI intent: the upi://pay link' })),
  resultCode: Type.Integer({ description: '0: accepted (see transactionStatus); 1: failed' }),
  resultMessage: Type.String(),
  error: nullable(Type.String({ description: 'The failure reason code' })),
});

/** The bank page of an attempt awaiting its holder (G4's `/pay/bank/{transactionId}`). */
export function bankPageUrl(baseUrl: string, payment: Payment): string {
  return `${baseUrl.replace(/\/$/, '')}/pay/bank/${payment.id}?publicIdentifierKey=${payment.publicIdentifierKey}`;
}

export function serializeSubmit(result: PaymentResult, baseUrl: string) {
  const { payment: p, order } = result;
  const failed = p.status === 'FAILED' || p.status === 'CANCELLED';
  const awaiting = p.step === 'OTP' || p.step === 'CHALLENGE';
  return {
    transactionId: p.id,
    uniqueTransactionId: p.uniqueTransactionId,
    orderId: order.id,
    transactionStatus: p.status,
    orderStatus: order.status,
    paymentMode: p.paymentMode,
    amount: formatRupees(p.amountPaise),
    surcharge: formatRupees(p.surchargePaise),
    surchargeGst: formatRupees(p.surchargeGstPaise),
    finalAmount: formatRupees(p.finalAmountPaise),
    currency: 'INR' as const,
    redirectionUrl: awaiting ? bankPageUrl(baseUrl, p) : null,
    renderOtpPage: p.step === 'OTP',
    rupay: p.step === 'OTP' && p.cardScheme === 'RUPAY',
    otpAttemptsLeft: p.step === 'OTP' ? (result.otp?.attemptsLeft ?? null) : null,
    otpResendsLeft: p.step === 'OTP' ? (result.otp?.resendsLeft ?? null) : null,
    intentUrl: p.upiFlow === 'INTENT' ? p.upiUri : null,
    resultCode: failed ? 1 : 0,
    resultMessage: p.txnMsg,
    error: failed ? p.resultCode : null,
  };
}

export const submitResponse = envelopeSchema(submitView, 'Where the transaction stands');

export const transactionView = Type.Object({
  ...NotifyBody.properties,
  merchantOrderId: Type.String(),
  refundedAmount: Type.Number(),
  upiFlow: nullable(Type.String()),
  vpa: nullable(Type.String()),
  lateSuccess: Type.Boolean({ description: 'The bank reported success after the order could no longer be paid: not captured, owed back' }),
  created: Type.String(),
  lastModified: Type.String(),
});

export function serializeTransaction(result: PaymentResult, notify: NotifyBody) {
  const { payment: p, order } = result;
  return {
    ...notify,
    merchantOrderId: order.merchantOrderId,
    refundedAmount: formatRupees(p.refundedPaise),
    upiFlow: p.upiFlow,
    vpa: p.vpa,
    lateSuccess: p.lateSuccess,
    created: p.createdAt.toISOString(),
    lastModified: p.updatedAt.toISOString(),
  };
}

export const transactionResponse = envelopeSchema(transactionView, 'The transaction');
export const transactionPageResponse = envelopeSchema(pageSchema(transactionView), 'A page of transactions');
export const transactionIdParams = Type.Object({ transactionId: Type.String(ID) });
export const otpBody = Type.Object(
  { otp: Type.String({ pattern: '^[0-9]{4,8}$', description: '123456 succeeds in the sandbox', examples: ['123456'] }) },
  { additionalProperties: false },
);
export const resendResponse = envelopeSchema(
  Type.Object({ transactionId: Type.String(), sent: Type.Boolean(), resendsLeft: Type.Integer() }),
  'Whether the OTP was sent again',
);

export const upiStatusResponse = envelopeSchema(
  Type.Object({
    transactionId: Type.String(),
    ekPayId: Type.String(),
    status: Type.String({ description: 'The transaction status' }),
    upiFlow: nullable(Type.String()),
    vpa: nullable(Type.String()),
    rrn: nullable(Type.String({ description: 'The UPI reference number, on success' })),
    amount: Type.Number(),
    finalAmount: Type.Number(),
  }),
  'UPI status',
);

export const vpaBody = Type.Object({ vpa: Type.String({ minLength: 3, maxLength: 320 }) }, { additionalProperties: false });
export const vpaResponse = envelopeSchema(
  Type.Object({ vpa: Type.String(), valid: Type.Boolean(), customerName: nullable(Type.String()) }),
  "Whether the VPA exists, with its holder's name",
);

export const paymentSearchQuery = Type.Object(
  {
    ...pageQueryProperties,
    orderBy: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('amount'), Type.Literal('lastModified')], { default: 'created' })),
    direction: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')], { default: 'DESC' })),
  },
  { additionalProperties: false },
);

export const paymentSearchBody = Type.Object(
  {
    orderId: Type.Optional(Type.String(ID)),
    transactionId: Type.Optional(Type.String(ID)),
    uniqueTransactionId: Type.Optional(Type.String(ID)),
    transactionStatuses: Type.Optional(Type.Array(Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s))), { maxItems: 8 })),
    paymentModes: Type.Optional(Type.Array(modeSchema, { maxItems: 8 })),
    amountFrom: Type.Optional(Type.Number(rupeesSchema)),
    amountTo: Type.Optional(Type.Number(rupeesSchema)),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const upiIntentView = Type.Object({ transactionId: Type.String(), gpay: Type.String(), phonepe: Type.String(), paytm: Type.String(), upi: Type.String() });
const upiQrView = Type.Object({
  transactionId: Type.String(),
  qrCode: Type.String({ description: 'The QR code: a PNG image, base64', contentEncoding: 'base64', contentMediaType: 'image/png' }),
  qrUrl: Type.String({ description: 'The upi://pay link the QR code encodes' }),
  ekPayId: Type.String({ description: 'The id to poll the UPI status with (the transaction id)' }),
});
const splitEcho = {
  splitDetails: Type.Array(Type.Object({ accountId: Type.String(), amount: Type.Number() }), {
    description: "The split of the intent's transaction (empty: none), paid at settlement (reference §2.7)",
  }),
};

export const upiIntentResponse = envelopeSchema(upiIntentView, 'UPI intent links (reference §2.4 upi-detail)');
export const upiQrResponse = envelopeSchema(
  upiQrView,
  "Dynamic UPI QR of the order (reference §2.4 qrcode), as the checkout's /pay/checkout/qrcode/{transactionId}",
);
export const upiIntentSplitResponse = envelopeSchema(Type.Object({ ...upiIntentView.properties, ...splitEcho }), 'UPI intent links with the split');
export const upiQrSplitResponse = envelopeSchema(Type.Object({ ...upiQrView.properties, ...splitEcho }), 'Dynamic UPI QR with the split');

/** Get IntentLink/QrCode with Split details (reference §2.7; body Tijori's): the submit's `splitDetails`. */
export const upiSplitBody = Type.Object(
  {
    splitDetails: Type.Optional(
      Type.Unsafe<SplitDetailInput[]>({
        ...splitDetailsSchema,
        description: 'Shares of the order amount paid to your split accounts at settlement, as on submit',
      }),
    ),
  },
  { additionalProperties: false },
);
