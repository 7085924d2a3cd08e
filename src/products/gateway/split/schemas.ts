import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { rupeesSchema } from '../../../core/money/index.js';
import { SPLIT_ACCOUNT_STATUSES } from './model.js';

// Route schemas of the split-settlement APIs (reference §2.7; paths INFERRED, docs/api/gateway-refunds-settlements.md).

const accountFields = {
  name: { type: 'string', minLength: 1, maxLength: 100, description: 'Account holder (vendor) name', examples: ['Asha Traders'] },
  accountNumber: { type: 'string', pattern: '^[0-9]{9,18}$', description: 'Bank account number, 9 to 18 digits', examples: ['100000000001'] },
  ifsc: { type: 'string', pattern: '^[A-Z]{4}0[A-Z0-9]{6}$', description: 'IFSC of the branch', examples: ['HDFC0000001'] },
  email: { type: 'string', maxLength: 254, pattern: '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,4}$', examples: ['accounts@asha.in'] },
  mobile: { type: 'string', pattern: '^[6-9][0-9]{9}$', examples: ['9876543210'] },
} as const;

export const createAccountBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'accountNumber', 'ifsc'],
  properties: accountFields,
} as const;

export const updateAccountBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: accountFields,
} as const;

export const accountParams = {
  type: 'object',
  required: ['accountId'],
  properties: { accountId: { type: 'string', maxLength: 64 } },
} as const;

export const listAccountsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...pageQueryProperties, status: { type: 'string', enum: SPLIT_ACCOUNT_STATUSES } },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const splitAccountSchema = {
  type: 'object',
  required: ['accountId', 'name', 'accountNumber', 'ifsc', 'email', 'mobile', 'status', 'createdOn', 'lastModified'],
  properties: {
    accountId: { type: 'string', examples: ['SPA1784195236818aB3xZ'] },
    name: { type: 'string' },
    accountNumber: { type: 'string' },
    ifsc: { type: 'string' },
    email: nullableString,
    mobile: nullableString,
    status: { type: 'string', enum: SPLIT_ACCOUNT_STATUSES },
    createdOn: { type: 'string', format: 'date-time' },
    lastModified: { type: 'string', format: 'date-time' },
  },
} as const;

/** `splitDetails[]` on payment submission and on edit-or-defer. */
export const splitDetailsSchema = {
  type: 'array',
  maxItems: 50,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'amount'],
    properties: {
      accountId: { type: 'string', minLength: 1, maxLength: 64 },
      amount: {
        anyOf: [rupeesSchema, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' }],
        description: 'Rupees with at most two decimals, as a number or a string',
      },
    },
  },
} as const;

export const editOrDeferBody = {
  type: 'object',
  additionalProperties: false,
  required: ['transactionId'],
  properties: {
    transactionId: { type: 'string', minLength: 1, maxLength: 64 },
    splitDetails: { ...splitDetailsSchema, description: 'The new split; an empty array removes it. Absent: the split is kept.' },
    defer: { type: 'boolean', description: "true defers the payment's settlement until a later call sends false" },
  },
} as const;

export const editOrDeferResponse = envelopeSchema({
  type: 'object',
  required: ['transactionId', 'amount', 'splitDetails', 'merchantAmount', 'deferred'],
  properties: {
    transactionId: { type: 'string' },
    amount: { type: 'number' },
    splitDetails: {
      type: 'array',
      items: { type: 'object', required: ['accountId', 'amount'], properties: { accountId: { type: 'string' }, amount: { type: 'number' } } },
    },
    merchantAmount: { type: 'number', description: 'What the merchant keeps: amount less the split shares' },
    deferred: { type: 'boolean' },
  },
});

export const accountResponse = envelopeSchema(splitAccountSchema);
export const accountListResponse = envelopeSchema(pageSchema(splitAccountSchema));
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
