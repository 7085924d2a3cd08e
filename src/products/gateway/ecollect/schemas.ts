import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../../core/money/index.js';
import { ECOLLECT_BANK_NAME } from './test-data.js';
import { ID } from '../index.js';
import { VirtualAccountCreditPayload } from './events.js';
import {
  AMOUNT_RULES,
  CREDIT_MODES,
  CREDIT_STATUSES,
  VIRTUAL_ACCOUNT_STATUSES,
  type VirtualAccount,
  type VirtualAccountCredit,
  type VirtualAccountStatus,
} from './model.js';

// Route schemas of the E-Collect APIs (reference §2.11: endpoint names CONFIRMED, fields INFERRED;
// docs/api/gateway-ecollect.md).

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const IFSC = Type.String({ pattern: '^[A-Z]{4}0[A-Z0-9]{6}$', description: 'IFSC, 11 characters', examples: ['HDFC0000001'] });
const BANK_ACCOUNT = Type.String({ minLength: 6, maxLength: 36, pattern: '^[0-9A-Za-z]+$', description: 'Bank account number', examples: ['50100012345678'] });
const EMAIL = Type.String({ maxLength: 254, pattern: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$', examples: ['asha@example.com'] });
const MOBILE = Type.String({ pattern: '^[6-9]\\d{9}$', description: 'Indian mobile number, 10 digits', examples: ['9876543210'] });
// The UPI rail's VPA shape (src/rails/upi/rules.ts), bounded for a column.
const VPA = Type.String({
  minLength: 5,
  maxLength: 100,
  pattern: '^[a-zA-Z0-9._-]{2,256}@[a-zA-Z][a-zA-Z0-9]{1,63}$',
  examples: ['ecol.8800123456789012@enkash'],
});
const rupees = (description: string) => Type.Number({ ...rupeesSchema, description: `${description}; rupees, at most two decimals` });
const allowedRemitter = Type.Object({ accountNumber: BANK_ACCOUNT, ifsc: IFSC }, { additionalProperties: false });

const accountFields = {
  customerName: Type.String({ minLength: 1, maxLength: 100, description: 'The customer the account collects from', examples: ['Asha Traders'] }),
  customerEmail: EMAIL,
  customerMobile: MOBILE,
  description: Type.String({ maxLength: 500 }),
  amountRule: literals(AMOUNT_RULES),
  amount: rupees('The expected amount (amountRule EXACT)'),
  minAmount: rupees('The smallest credit accepted (amountRule RANGE)'),
  maxAmount: rupees('The largest credit accepted (amountRule RANGE)'),
  allowedPaymentModes: Type.Array(literals(CREDIT_MODES), {
    minItems: 1,
    maxItems: 4,
    uniqueItems: true,
    description: 'Modes the account accepts; all four by default',
  }),
  closeBy: Type.String({
    format: 'date-time',
    description: 'Credits at or after this instant (sandbox time) are returned; the account reads CLOSED',
    examples: ['2026-12-31T18:30:00.000Z'],
  }),
  allowedRemitters: Type.Array(allowedRemitter, {
    maxItems: 20,
    description: 'Third-party validation: only these accounts may pay in; empty or absent, anyone',
  }),
  notifyUrl: Type.String({
    minLength: 1,
    maxLength: 2048,
    pattern: '^https?://',
    description: 'Where each credit is POSTed (VIRTUAL_ACCOUNT_CREDITED)',
    examples: ['https://merchant.example/ecollect'],
  }),
};

export const createAccountBody = Type.Object(
  {
    referenceId: Type.String({ ...ID, description: 'Your id of the account, unique in your company', examples: ['CUST-1001'] }),
    ...accountFields,
    customerEmail: Type.Optional(accountFields.customerEmail),
    customerMobile: Type.Optional(accountFields.customerMobile),
    description: Type.Optional(accountFields.description),
    amountRule: Type.Optional({ ...accountFields.amountRule, default: 'ANY' }),
    amount: Type.Optional(accountFields.amount),
    minAmount: Type.Optional(accountFields.minAmount),
    maxAmount: Type.Optional(accountFields.maxAmount),
    allowedPaymentModes: Type.Optional(accountFields.allowedPaymentModes),
    closeBy: Type.Optional(accountFields.closeBy),
    allowedRemitters: Type.Optional(accountFields.allowedRemitters),
    notifyUrl: Type.Optional(accountFields.notifyUrl),
  },
  { additionalProperties: false },
);

export const updateAccountBody = Type.Object(
  {
    customerName: Type.Optional(accountFields.customerName),
    customerEmail: Type.Optional(accountFields.customerEmail),
    customerMobile: Type.Optional(accountFields.customerMobile),
    description: Type.Optional(accountFields.description),
    amountRule: Type.Optional({
      ...accountFields.amountRule,
      description: 'A new amount rule; amount, minAmount and maxAmount are then replaced by those sent',
    }),
    amount: Type.Optional(accountFields.amount),
    minAmount: Type.Optional(accountFields.minAmount),
    maxAmount: Type.Optional(accountFields.maxAmount),
    allowedPaymentModes: Type.Optional(accountFields.allowedPaymentModes),
    closeBy: Type.Optional(nullable(accountFields.closeBy)),
    allowedRemitters: Type.Optional(accountFields.allowedRemitters),
    notifyUrl: Type.Optional(nullable(accountFields.notifyUrl)),
    status: Type.Optional(Type.Literal('CLOSED', { description: 'Closes the account for good: later credits are returned' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const accountIdParams = Type.Object({ virtualAccountId: Type.String(ID) });
export const accountNumberParams = Type.Object({ accountNumber: Type.String({ minLength: 6, maxLength: 36, pattern: '^[0-9A-Za-z]+$' }) });
export const creditsQuery = Type.Object({ ...pageQueryProperties }, { additionalProperties: false });

export const searchQuery = Type.Object(
  {
    ...pageQueryProperties,
    orderBy: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('lastModified')], { default: 'created' })),
    direction: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')], { default: 'DESC' })),
  },
  { additionalProperties: false },
);

export const searchBody = Type.Object(
  {
    referenceId: Type.Optional(Type.String(ID)),
    accountNumber: Type.Optional(accountNumberParams.properties.accountNumber),
    status: Type.Optional(literals(VIRTUAL_ACCOUNT_STATUSES)),
    customerMobile: Type.Optional(MOBILE),
    customerEmail: Type.Optional(EMAIL),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const creditBody = Type.Object(
  {
    accountNumber: Type.Optional(Type.String({ ...accountNumberParams.properties.accountNumber, description: 'The virtual account credited (or send vpa)' })),
    vpa: Type.Optional({ ...VPA, description: "The virtual account's VPA (or send accountNumber)" }),
    ifsc: Type.Optional({ ...IFSC, description: "The IFSC the remitter used; it must be the collection bank's" }),
    amount: rupees('The amount credited'),
    mode: literals(CREDIT_MODES),
    remitterName: Type.String({ minLength: 1, maxLength: 100 }),
    remitterAccount: BANK_ACCOUNT,
    remitterIfsc: IFSC,
    remitterVpa: Type.Optional(VPA),
    utr: Type.Optional(
      Type.String({ minLength: 6, maxLength: 35, pattern: '^[A-Za-z0-9]+$', description: 'The bank reference; the bank assigns one when absent' }),
    ),
  },
  { additionalProperties: false },
);

const amountOrNull = nullable(Type.Number());

export const virtualAccountView = Type.Object({
  virtualAccountId: Type.String({ examples: ['VAC1784195236818aB3xZ'] }),
  referenceId: Type.String(),
  accountNumber: Type.String(),
  ifsc: Type.String(),
  bankName: Type.String(),
  vpa: Type.String(),
  customerName: Type.String(),
  customerEmail: nullable(Type.String()),
  customerMobile: nullable(Type.String()),
  description: nullable(Type.String()),
  amountRule: literals(AMOUNT_RULES),
  amount: amountOrNull,
  minAmount: amountOrNull,
  maxAmount: amountOrNull,
  allowedPaymentModes: Type.Array(Type.String()),
  allowedRemitters: Type.Array(Type.Object({ accountNumber: Type.String(), ifsc: Type.String() })),
  closeBy: nullable(Type.String()),
  notifyUrl: nullable(Type.String()),
  status: literals(VIRTUAL_ACCOUNT_STATUSES),
  closedAt: nullable(Type.String({ description: 'When the merchant closed it' })),
  totalCreditedAmount: Type.Number(),
  creditCount: Type.Integer(),
  createdOn: Type.String(),
  lastModified: Type.String(),
});

export const creditView = Type.Object({
  ...VirtualAccountCreditPayload.properties,
  status: literals(CREDIT_STATUSES),
  rejectReason: nullable(Type.String({ description: 'Why the bank returned the credit (docs/api/gateway-ecollect.md)' })),
  rejectMessage: nullable(Type.String()),
});

const nullableIso = (d: Date | null) => (d === null ? null : d.toISOString());
const rupeesOrNull = (p: bigint | null) => (p === null ? null : formatRupees(p));

/** An account on the wire; `status` is its effective status at the sandbox time of the request. */
export function wireAccount(a: VirtualAccount, status: VirtualAccountStatus) {
  return {
    virtualAccountId: a.id,
    referenceId: a.referenceId,
    accountNumber: a.accountNumber,
    ifsc: a.ifsc,
    bankName: ECOLLECT_BANK_NAME,
    vpa: a.vpa,
    customerName: a.customerName,
    customerEmail: a.customerEmail,
    customerMobile: a.customerMobile,
    description: a.description,
    amountRule: a.amountRule,
    amount: rupeesOrNull(a.amountPaise),
    minAmount: rupeesOrNull(a.minAmountPaise),
    maxAmount: rupeesOrNull(a.maxAmountPaise),
    allowedPaymentModes: a.allowedModes,
    allowedRemitters: a.allowedRemitters,
    closeBy: nullableIso(a.closeBy),
    notifyUrl: a.notifyUrl,
    status,
    closedAt: nullableIso(a.closedAt),
    totalCreditedAmount: formatRupees(a.creditedPaise),
    creditCount: a.creditCount,
    createdOn: a.createdAt.toISOString(),
    lastModified: a.updatedAt.toISOString(),
  };
}

/** A credit on the wire: the webhook body, with its status and, for a returned credit, why. */
export function wireCredit(c: VirtualAccountCredit, a: VirtualAccount) {
  return {
    virtualAccountId: a.id,
    referenceId: a.referenceId,
    accountNumber: a.accountNumber,
    ifsc: a.ifsc,
    vpa: a.vpa,
    creditId: c.id,
    amount: formatRupees(c.amountPaise),
    currency: 'INR' as const,
    paymentMode: c.mode,
    utr: c.utr,
    remitterName: c.remitterName,
    remitterAccount: c.remitterAccount,
    remitterIfsc: c.remitterIfsc,
    remitterVpa: c.remitterVpa,
    status: c.status,
    txnDate: c.createdAt.toISOString(),
    totalCreditedAmount: formatRupees(a.creditedPaise),
    rejectReason: c.rejectReason,
    rejectMessage: c.rejectMessage,
  };
}

export const accountResponse = envelopeSchema(virtualAccountView, 'The virtual account');
export const accountPageResponse = envelopeSchema(pageSchema(virtualAccountView), 'A page of virtual accounts');
export const creditResponse = envelopeSchema(creditView, 'The credit: CREDITED, or REJECTED (returned to the remitter) with its reason');
export const creditPageResponse = envelopeSchema(pageSchema(creditView), "A page of the account's credits, oldest first");
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
