import { Type } from 'typebox';
import { envelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../../core/money/index.js';
import { attemptsLeft, CUSTOMER_EMAIL_PATTERN, CUSTOMER_MOBILE_PATTERN, ORDER_STATUSES, type Order } from './model.js';

/** Route schemas of the orders API (reference §2.1): validation and /openapi.json. */
/** An order or transaction id in a path, query or filter (no control characters reach the database). */
export const ID = { minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' } as const;
const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const url = (description: string) => Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description });
const ACCOUNT = Type.String({
  minLength: 9,
  maxLength: 36,
  pattern: '^[0-9A-Za-z]+$',
  description: 'Bank account number, 9 to 36 characters',
  examples: ['123456789012'],
});
const IFSC = Type.String({ pattern: '^[A-Z]{4}0[A-Z0-9]{6}$', description: 'IFSC, 11 characters', examples: ['HDFC0001234'] });

export const amountSchema = Type.Object(
  {
    value: Type.Number({
      minimum: 0.01,
      maximum: rupeesSchema.maximum,
      description: 'Rupees, at least 0.01, at most two decimals (a third decimal is refused)',
      examples: [100],
    }),
    currency: Type.Literal('INR'),
  },
  { additionalProperties: false },
);

const customerInfo = Type.Object(
  {
    firstName: Type.Optional(Type.String({ maxLength: 100 })),
    lastName: Type.Optional(Type.String({ maxLength: 100 })),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: CUSTOMER_EMAIL_PATTERN, examples: ['asha@example.com'] })),
    phoneNumber: Type.Optional(
      Type.String({ pattern: CUSTOMER_MOBILE_PATTERN, description: 'Indian mobile number, 10 digits (reference §2.4)', examples: ['9876543210'] }),
    ),
    address: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const createOrderBody = Type.Object(
  {
    orderId: Type.String({ ...ID, description: 'Your order id, unique in your company', examples: ['RANDOMID123'] }),
    amount: amountSchema,
    returnUrl: Type.Optional(url('Where the hosted checkout sends the browser back')),
    notifyUrl: Type.Optional(url('Where Payment Notify is POSTed (reference §2.3)')),
    customerInfo: Type.Optional(customerInfo),
    customParameters: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }), { maxProperties: 20 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    paymentDetail: Type.Optional(
      Type.Object(
        { accountNumber: ACCOUNT, ifsc: IFSC },
        { additionalProperties: false, description: 'UPI third-party validation: the only account that may pay' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const orderView = Type.Object({
  orderId: Type.String({ description: "EnKash's order id", examples: ['ORD1767225600000VZuxB'] }),
  merchantOrderId: Type.String(),
  amount: Type.Object({ value: Type.Number(), currency: Type.String() }),
  orderStatus: Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))),
  description: nullable(Type.String()),
  returnUrl: nullable(Type.String()),
  notifyUrl: nullable(Type.String()),
  customerInfo: nullable(customerInfo),
  customParameters: nullable(Type.Record(Type.String(), Type.String())),
  paymentDetail: nullable(Type.Object({ accountNumber: Type.String(), ifsc: Type.String() })),
  paymentAttemptLeft: Type.Integer(),
  transactionId: nullable(Type.String({ description: 'The transaction that paid the order' })),
  cancelReason: nullable(Type.String()),
  expiresAt: Type.String(),
  created: Type.String(),
  lastModified: Type.String(),
  paymentUrl: Type.String({ description: "Tijori's: the hosted checkout page of the order, <public base>/pay/checkout/{orderId}" }),
});

/** An order on the wire; `base` is the public base of the hosted checkout (TIJORI_PUBLIC_URL, else the request's origin). */
export function serializeOrder(order: Order, base: string) {
  return {
    orderId: order.id,
    merchantOrderId: order.merchantOrderId,
    amount: { value: formatRupees(order.amountPaise), currency: order.currency },
    orderStatus: order.status,
    description: order.description,
    returnUrl: order.returnUrl,
    notifyUrl: order.notifyUrl,
    customerInfo: order.customerInfo,
    customParameters: order.customParameters,
    paymentDetail: order.tpvAccountNumber === null ? null : { accountNumber: order.tpvAccountNumber, ifsc: order.tpvIfsc ?? '' },
    paymentAttemptLeft: attemptsLeft(order),
    transactionId: order.paidTransactionId,
    cancelReason: order.cancelReason,
    expiresAt: order.expiresAt.toISOString(),
    created: order.createdAt.toISOString(),
    lastModified: order.updatedAt.toISOString(),
    paymentUrl: `${base}/pay/checkout/${order.id}`,
  };
}

export const orderResponse = envelopeSchema(orderView, 'The order');
export const orderIdParams = Type.Object({ orderId: Type.String({ ...ID, description: "EnKash's order id, or yours" }) });
export const merchantOrderIdParams = Type.Object({ merchantOrderId: Type.String(ID) });
export const cancelBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false });

export const searchQuery = Type.Object(
  {
    ...pageQueryProperties,
    orderBy: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('amount'), Type.Literal('lastModified')], { default: 'created' })),
    direction: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')], { default: 'DESC' })),
  },
  { additionalProperties: false },
);

export const orderSearchBody = Type.Object(
  {
    merchantOrderId: Type.Optional(Type.String(ID)),
    orderStatuses: Type.Optional(Type.Array(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))), { maxItems: ORDER_STATUSES.length })),
    amountFrom: Type.Optional(Type.Number(rupeesSchema)),
    amountTo: Type.Optional(Type.Number(rupeesSchema)),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const orderPageResponse = envelopeSchema(pageSchema(orderView), 'A page of orders');

export const bnplResponse = envelopeSchema(
  Type.Array(Type.Object({ bnplPaymentOptionId: Type.String(), name: Type.String() })),
  'Pay-later options for this order',
);
