import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../../core/money/index.js';
import { ID } from '../index.js';
import { QR_CLOSE_REASONS, QR_STATUSES, QR_TYPES, type QrCode, type QrCustomer, type QrPaymentView } from './model.js';

// Route schemas of the UPI QR APIs (reference §2.8; paths and fields INFERRED, docs/api/gateway-upi-qr.md).

const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const EMAIL = Type.String({ maxLength: 254, pattern: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$', examples: ['asha@example.com'] });
const MOBILE = Type.String({ pattern: '^[6-9][0-9]{9}$', description: 'Indian mobile number, 10 digits', examples: ['9876543210'] });
const RUPEES = Type.Number(rupeesSchema);

export const errors = {
  400: errorEnvelopeSchema,
  403: errorEnvelopeSchema,
  404: errorEnvelopeSchema,
  409: errorEnvelopeSchema,
  422: errorEnvelopeSchema,
} as const;
export const qrCodeIdParams = Type.Object({ qrCodeId: Type.String({ ...ID, description: 'The QR code id (QR…)' }) });
export const pageQuery = Type.Object({ ...pageQueryProperties }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------
// Customers

export const createCustomerBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, examples: ['Asha Rao'] }), email: Type.Optional(EMAIL), mobile: Type.Optional(MOBILE) },
  { additionalProperties: false },
);

export const customerSearchBody = Type.Object(
  {
    customerId: Type.Optional(Type.String(ID)),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Matches anywhere in the name, any case' })),
    email: Type.Optional(EMAIL),
    mobile: Type.Optional(MOBILE),
  },
  { additionalProperties: false },
);

const customerView = Type.Object({
  customerId: Type.String({ examples: ['QRC1784195236818aB3xZ'] }),
  name: Type.String(),
  email: nullable(Type.String()),
  mobile: nullable(Type.String()),
  created: Type.String({ format: 'date-time' }),
  lastModified: Type.String({ format: 'date-time' }),
});

export function serializeCustomer(c: QrCustomer) {
  return { customerId: c.id, name: c.name, email: c.email, mobile: c.mobile, created: c.createdAt.toISOString(), lastModified: c.updatedAt.toISOString() };
}

export const customerResponse = envelopeSchema(customerView, 'The QR customer');
export const customerPageResponse = envelopeSchema(pageSchema(customerView), 'A page of QR customers, newest first');

// ---------------------------------------------------------------------------------------------
// QR codes

export const createQrBody = Type.Object(
  {
    qrType: literals(QR_TYPES),
    customerId: Type.Optional(Type.String({ ...ID, description: 'A QR customer of the company (QRC…)' })),
    amount: Type.Optional({ ...RUPEES, description: 'Fixed amount in rupees: required for DYNAMIC; optional for STATIC (absent: the payer enters it)' }),
    description: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, description: 'Shown to the payer (`tn` of the upi://pay string), at most 50 characters' }),
    ),
    closeBy: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the QR closes (sandbox time); absent: open until paid (DYNAMIC) or cancelled' }),
    ),
    notifyUrl: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description: 'Where Payment Notify of each payment is POSTed (reference §2.3)' }),
    ),
    referenceId: Type.Optional(Type.String({ ...ID, description: 'Your reference, unique among your QR codes' })),
  },
  { additionalProperties: false },
);

export const qrSearchBody = Type.Object(
  {
    qrType: Type.Optional(literals(QR_TYPES)),
    statuses: Type.Optional(Type.Array(literals(QR_STATUSES), { maxItems: 2 })),
    customerId: Type.Optional(Type.String(ID)),
    referenceId: Type.Optional(Type.String(ID)),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const qrFields = {
  qrCodeId: Type.String({ examples: ['QR1784195236818aB3xZ'] }),
  qrType: literals(QR_TYPES),
  status: literals(QR_STATUSES),
  closeReason: nullable(literals(QR_CLOSE_REASONS)),
  customerId: nullable(Type.String()),
  amount: nullable(Type.Number({ description: 'The fixed amount, rupees; null: the payer enters it' })),
  description: nullable(Type.String()),
  closeBy: nullable(Type.String({ format: 'date-time' })),
  notifyUrl: nullable(Type.String()),
  referenceId: nullable(Type.String()),
  qrString: Type.String({
    description: 'The upi://pay string the QR encodes',
    examples: ['upi://pay?pa=cek1gzbo6a%40enkash&pn=Tijori%20Merchant&mc=5399&tr=QR1784195236818aB3xZ&cu=INR'],
  }),
  paymentsCount: Type.Integer({ description: 'Payments captured' }),
  amountReceived: Type.Number({ description: 'Rupees captured' }),
  closedAt: nullable(Type.String({ format: 'date-time' })),
  created: Type.String({ format: 'date-time' }),
  lastModified: Type.String({ format: 'date-time' }),
};

const qrPaymentView = Type.Object({
  qrPaymentId: Type.String({ examples: ['QRP1784195236818aB3xZ'] }),
  transactionId: nullable(Type.String({ description: 'The gateway transaction (GET /api/v0/payment/{transactionId})' })),
  orderId: nullable(Type.String({ description: 'The gateway order made for the payment' })),
  payerVpa: Type.String(),
  amount: Type.Number(),
  status: Type.String({ description: 'The transaction status (SUCCESS, FAILED, PENDING_WITH_BANK…)' }),
  bankTransactionId: nullable(Type.String({ description: 'UPI RRN on success' })),
  created: Type.String({ format: 'date-time' }),
});

const qrView = Type.Object(qrFields);
const qrDetailView = Type.Object({
  ...qrFields,
  qrImage: Type.String({ description: 'The QR as a PNG (240 px), base64' }),
  payments: Type.Array(qrPaymentView, { description: 'The latest 100 payments, newest first' }),
});

export function serializeQr(qr: QrCode) {
  return {
    qrCodeId: qr.id,
    qrType: qr.qrType,
    status: qr.status,
    closeReason: qr.closeReason,
    customerId: qr.customerId,
    amount: qr.amountPaise === null ? null : formatRupees(qr.amountPaise),
    description: qr.description,
    closeBy: qr.closeBy?.toISOString() ?? null,
    notifyUrl: qr.notifyUrl,
    referenceId: qr.referenceId,
    qrString: qr.qrString,
    paymentsCount: qr.paymentsCount,
    amountReceived: formatRupees(qr.amountReceivedPaise),
    closedAt: qr.closedAt?.toISOString() ?? null,
    created: qr.createdAt.toISOString(),
    lastModified: qr.updatedAt.toISOString(),
  };
}

export function serializeQrPayment(p: QrPaymentView) {
  return {
    qrPaymentId: p.id,
    transactionId: p.transactionId,
    orderId: p.orderId,
    payerVpa: p.payerVpa,
    amount: formatRupees(p.amountPaise),
    // Before its transaction exists a claim is CREATED; one refused before the bank is FAILED.
    status: p.transactionStatus ?? (p.status === 'FAILED' ? 'FAILED' : 'CREATED'),
    bankTransactionId: p.bankTransactionId,
    created: p.createdAt.toISOString(),
  };
}

export const qrResponse = envelopeSchema(qrDetailView, 'The QR code, its PNG image and its latest payments');
export const qrPageResponse = envelopeSchema(pageSchema(qrView), 'A page of QR codes, newest first');
export const imageQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('png'), Type.Literal('svg')], { default: 'png' })) },
  { additionalProperties: false },
);

// ---------------------------------------------------------------------------------------------
// Sandbox pay

export const payBody = Type.Object(
  {
    payerVpa: Type.String({
      minLength: 3,
      maxLength: 320,
      description: 'The test payer (docs/sandbox.md, UPI): its VPA decides the outcome',
      examples: ['success@enkash'],
    }),
    amount: Type.Optional({ ...RUPEES, description: 'Rupees; required when the QR has no fixed amount, else it must equal it' }),
  },
  { additionalProperties: false },
);

export const payResponse = envelopeSchema(
  Type.Object({
    qrPaymentId: Type.String(),
    qrCodeId: Type.String(),
    orderId: Type.String(),
    transactionId: Type.String(),
    payerVpa: Type.String(),
    amount: Type.Number(),
    transactionStatus: Type.String({ description: 'SUCCESS, FAILED or PENDING_WITH_BANK (a slow payer)' }),
    orderStatus: Type.String(),
    bankTransactionId: nullable(Type.String()),
    txnMsg: Type.String(),
    qrStatus: literals(QR_STATUSES),
    closeReason: nullable(literals(QR_CLOSE_REASONS)),
  }),
  "The payment of the QR as it stands after the payer's immediate answer",
);
