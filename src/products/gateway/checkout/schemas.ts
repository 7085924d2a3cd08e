import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { PAYMENT_MODES } from '../settings/index.js';
import { UPI_APPS } from './model.js';

const nullable = <T extends object>(schema: T) => Type.Union([schema, Type.Null()]);

export const tag = { tags: ['Hosted checkout'] };
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };

const key = Type.String({ minLength: 1, maxLength: 64, description: "The transaction's publicIdentifierKey (from the order detail)" });

export const orderIdParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });
export const transactionIdParams = Type.Object({ transactionId: Type.String({ minLength: 1, maxLength: 64 }) });
export const ekPayIdParams = Type.Object({ ekPayId: Type.String({ minLength: 1, maxLength: 64 }) });
/** Every public call but the page presents the transaction's key (Tijori: query parameter, or the body's field). */
export const keyQuery = Type.Object({ publicIdentifierKey: Type.Optional(key) });
/** `GET /api/v0/bin/details`: the SDK sends the digits typed so far (at least 10) and its checkout transaction. */
export const merchantBinQuery = Type.Object(
  {
    bin: Type.String({ pattern: '^[0-9]{6,19}$', description: 'The BIN, or the card number typed so far', examples: ['6521555555'] }),
    transactionId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'The checkout transaction (required without a merchant token)' }),
    ),
  },
  { additionalProperties: false },
);
export const binQuery = Type.Object({
  bin: Type.String({ pattern: '^[0-9]{6,19}$' }),
  transactionId: Type.String({ minLength: 1, maxLength: 64 }),
  publicIdentifierKey: Type.Optional(key),
});

const listItem = Type.Object({ code: Type.String(), name: Type.String() });
const bankItem = Type.Object({ code: Type.String(), name: Type.String(), image: nullable(Type.String()), netBankingAccountType: Type.String() });

export const checkoutDetail = Type.Object({
  orderId: Type.String({ examples: ['ORD1784195236818VZuxB'] }),
  merchantOrderId: Type.String(),
  orderStatus: Type.String(),
  description: nullable(Type.String()),
  transactionId: Type.String(),
  uniqueTransactionId: Type.String(),
  publicIdentifierKey: Type.String(),
  amount: Type.Number(),
  totalAmount: Type.Number(),
  currency: Type.Literal('INR'),
  surcharges: Type.Record(Type.String(), Type.Number(), { description: 'Fee rules in rupees by key: SC_|CF_|PF_ + mode + _DEFAULT|code' }),
  surchargeGst: Type.Number(),
  merchantInfo: Type.Object({
    merchantName: Type.String(),
    checkoutLogo: nullable(Type.String()),
    checkoutColorScheme: nullable(Type.String()),
    hideAppIntentLinks: Type.Boolean(),
    upiVpaEnabled: Type.Boolean(),
  }),
  upi: Type.Boolean(),
  upiQrCodeEnabled: Type.Boolean(),
  creditCard: Type.Boolean(),
  debitCard: Type.Boolean(),
  prepaidCard: Type.Boolean(),
  corporateCard: Type.Boolean(),
  creditCardSchemes: Type.Array(Type.String()),
  debitCardSchemes: Type.Array(Type.String()),
  prepaidCardSchemes: Type.Array(Type.String()),
  corporateCardSchemes: Type.Array(Type.String()),
  cardSchemesSupported: Type.Array(Type.String()),
  netBanking: Type.Boolean(),
  netBankingList: Type.Array(bankItem),
  topNetBankingList: Type.Array(bankItem),
  wallet: Type.Boolean(),
  walletList: Type.Array(listItem),
  payLater: Type.Boolean(),
  payLaterList: Type.Array(listItem),
  name: nullable(Type.String()),
  phone: nullable(Type.String()),
  email: nullable(Type.String()),
  skipContactInfo: Type.Boolean(),
  paymentAttemptLeft: Type.Boolean({ description: 'Whether the order takes another attempt (the orders API has the count)' }),
  checkoutProcessURL: Type.String(),
  checkoutCancelURL: Type.String(),
  returnURL: nullable(Type.String()),
  upiCollectTimeout: Type.Integer({ description: 'Minutes' }),
  savedCards: Type.Array(Type.Never()),
  points: Type.Boolean(),
  connectedBanking: Type.Boolean(),
  multiplePaymentOption: Type.Boolean(),
  anyPaymentModeActive: Type.Boolean(),
  error: nullable(Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
  expiresInSeconds: Type.Integer(),
  pollIntervalMs: Type.Integer(),
});
export const checkoutDetailResponse = envelopeSchema(checkoutDetail, 'The order detail the checkout renders (reference §2.4)');

const EMAIL = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$';
const MOBILE = '^[6-9][0-9]{9}$';
export const customerInfoBody = Type.Object(
  {
    customerEmail: Type.Optional(nullable(Type.String({ pattern: EMAIL, maxLength: 254, examples: ['asha@example.in'] }))),
    customerMobile: Type.Optional(nullable(Type.String({ pattern: MOBILE, examples: ['9876543210'] }))),
    merchantAccessKey: Type.Optional(nullable(Type.String({ maxLength: 128 }))),
    publicIdentifierKey: Type.Optional(key),
  },
  { additionalProperties: false },
);
export const customerInfoResponse = envelopeSchema(
  Type.Object({ transactionId: Type.String(), customerEmail: nullable(Type.String()), customerMobile: nullable(Type.String()) }),
  'The contact details kept for the transaction',
);

export const binResponse = envelopeSchema(
  nullable(
    Type.Object({ cardSchemeType: Type.String(), cardType: Type.String(), pgCode: Type.String(), bankName: Type.String(), bankEntityName: Type.String() }),
  ),
  'BIN details (reference §2.4), null for an unknown network',
);

const paymentDetail = Type.Object(
  {
    paymentMode: Type.Union(PAYMENT_MODES.map((m) => Type.Literal(m))),
    cardNumber: Type.Optional(Type.String({ maxLength: 64, description: 'base64 of the card number' })),
    cvv: Type.Optional(Type.String({ maxLength: 16, description: 'base64 of the CVV' })),
    expiry: Type.Optional(Type.String({ maxLength: 16, description: 'base64 of MM/YY' })),
    cardHolderName: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    saveCard: Type.Optional(Type.Boolean()),
    paymentToken: Type.Optional(Type.Null()),
    paymentType: Type.Optional(Type.Literal('NEW_CARD')),
    bankCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    bnplPaymentOptionId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    vpa: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
  },
  { additionalProperties: false },
);

export const chargeBody = Type.Object(
  {
    transactionId: Type.String({ minLength: 1, maxLength: 64 }),
    publicIdentifierKey: key,
    uniqueTransactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    paymentDetail,
    surcharge: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]{1,2})?$', description: "What the page showed; the server's quote is charged" })),
    surchargeGst: Type.Optional(Type.Number()),
    popupMode: Type.Optional(Type.Boolean({ description: 'The SDK: the bank pages run in a popup, which ends on a page that closes itself' })),
  },
  { additionalProperties: false },
);

const chargeView = Type.Object({
  transactionId: Type.String(),
  uniqueTransactionId: Type.String(),
  orderId: Type.String(),
  transactionStatus: Type.String(),
  orderStatus: Type.String(),
  paymentMode: nullable(Type.String()),
  amount: Type.Number(),
  finalAmount: Type.Number(),
  currency: Type.Literal('INR'),
  redirectionUrl: nullable(Type.String({ description: 'The (simulated) bank page the browser goes to next' })),
  dauth: Type.Boolean({ description: 'True when the transaction succeeded with no redirect (a frictionless card): the answer is final' }),
  renderOtpPage: Type.Boolean(),
  rupay: Type.Boolean(),
  ekPayId: nullable(Type.String({ description: 'UPI: the id to poll at /pay/checkout/status/upi/{ekPayId}' })),
  intentUrl: nullable(Type.String()),
  resultCode: Type.Integer({ description: '0, or 1 for a failed or cancelled transaction' }),
  resultMessage: Type.String(),
  error: nullable(Type.String()),
});
export const chargeResponse = envelopeSchema(chargeView, 'Where the transaction stands and where the browser goes next');

export const intentBody = Type.Object(
  {
    transactionId: Type.String({ minLength: 1, maxLength: 64 }),
    paymentMode: Type.Literal('UPI'),
    bankCode: Type.Union(UPI_APPS.map((a) => Type.Literal(a))),
    publicIdentifierKey: Type.Optional(key),
  },
  { additionalProperties: false },
);
export const intentResponse = envelopeSchema(Type.Object({ ...chargeView.properties, bankCode: Type.String() }), "The intent transaction and the app's link");

export const qrResponse = envelopeSchema(
  Type.Object({ qrCode: Type.String({ description: 'base64 PNG' }), qrUrl: Type.String({ examples: ['upi://pay?pa=…'] }), ekPayId: Type.String() }),
  'The dynamic UPI QR of the transaction',
);
export const upiDetailResponse = envelopeSchema(
  Type.Object({ transactionId: Type.String(), gpay: Type.String(), phonepe: Type.String(), paytm: Type.String(), upi: Type.String() }),
  'UPI intent links (reference §2.4)',
);
export const upiStatusResponse = envelopeSchema(
  Type.Object({
    transactionId: Type.String(),
    ekPayId: Type.String(),
    status: Type.Union([Type.Literal('PROCESS'), Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
  }),
  'PROCESS while the payer has not answered',
);

export const minimalResponse = envelopeSchema(
  Type.Object({
    paymentAttemptLeft: Type.Boolean({ description: 'Whether the order takes another attempt (the orders API has the count)' }),
    orderId: Type.String(),
    merchantOrderId: Type.String(),
    orderStatus: Type.String(),
    status: Type.String(),
    transactionStatus: Type.String(),
    checksum: Type.String(),
    uniqueTransactionId: Type.String(),
    transactionId: Type.String(),
    amount: Type.Number(),
    surcharge: Type.Number(),
    surchargeGst: Type.Number(),
    finalAmount: Type.Number(),
    currency: Type.String(),
    paymentMode: Type.String(),
    bankCode: nullable(Type.String()),
    bankName: nullable(Type.String()),
    cardScheme: nullable(Type.String()),
    maskedCardNumber: nullable(Type.String()),
    bankTransactionId: nullable(Type.String()),
    txnMsg: Type.String(),
    txnDate: Type.String(),
    customParameters: nullable(Type.Record(Type.String(), Type.String())),
  }),
  'The transaction as the browser may see it, with the return checksum',
);

export const remarkBody = Type.Object(
  {
    transactionId: Type.String({ minLength: 1, maxLength: 64 }),
    remark: Type.Optional(Type.String({ maxLength: 200 })),
    publicIdentifierKey: Type.Optional(key),
  },
  { additionalProperties: false },
);
export const reasonBody = Type.Object(
  {
    transactionId: Type.String({ minLength: 1, maxLength: 64 }),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
    publicIdentifierKey: Type.Optional(key),
  },
  { additionalProperties: false },
);
export const closedResponse = envelopeSchema(
  Type.Object({
    transactionId: Type.String(),
    transactionStatus: Type.String(),
    orderStatus: Type.String(),
    paymentAttemptLeft: Type.Boolean({ description: 'Whether the order takes another attempt (the orders API has the count)' }),
    resultMessage: Type.String(),
  }),
  'The transaction after the cancel or expiry',
);
