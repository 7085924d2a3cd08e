import { envelopeSchema } from '../http/envelope.js';
import { pageQueryProperties, pageSchema } from '../http/pagination.js';
import { TRANSACTION_CODES } from './chart.js';
import { ACCOUNT_TYPES } from './model.js';

// Route schemas of the ledger read APIs (docs/api/ledger.md): the source of /openapi.json.

const amount = {
  type: 'number',
  description: 'INR: rupees with at most two decimals (paise inside); PTS: whole points',
  examples: [1250.5],
} as const;
const instant = { type: 'string', format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const balanceSchema = {
  type: 'object',
  description: "Balance on the account's normal side (debits − credits for asset and expense accounts, credits − debits for the others)",
  properties: {
    accountId: { type: 'string' },
    currency: { type: 'string', enum: ['INR', 'PTS'] },
    posted: { ...amount, description: 'Posted balance on the normal side; may be negative only for accounts with allowNegative' },
    pending: { ...amount, description: 'Held against the account by open holds (pending outflows)' },
    pendingInflow: { ...amount, description: 'What captures of open holds would add' },
    available: { ...amount, description: 'posted − pending' },
    debitsPosted: amount,
    creditsPosted: amount,
    debitsPending: amount,
    creditsPending: amount,
    asOf: { type: ['string', 'null'], format: 'date-time', description: 'The instant of an as-of balance; null for the current balance' },
  },
  required: [
    'accountId',
    'currency',
    'posted',
    'pending',
    'pendingInflow',
    'available',
    'debitsPosted',
    'creditsPosted',
    'debitsPending',
    'creditsPending',
    'asOf',
  ],
} as const;

const accountProperties = {
  accountId: { type: 'string', examples: ['la_01JB3Z6Q8R4S5T6V7W8X9Y0Z1A'] },
  code: { type: 'string', examples: ['merchant_available'] },
  name: { type: 'string' },
  type: { type: 'string', enum: ACCOUNT_TYPES },
  normalBalance: { type: 'string', enum: ['debit', 'credit'] },
  currency: { type: 'string', enum: ['INR', 'PTS'] },
  allowNegative: { type: 'boolean' },
  ownerType: nullableString,
  ownerId: nullableString,
  createdAt: instant,
} as const;
const accountRequired = Object.keys(accountProperties);

export const accountSchema = { type: 'object', properties: accountProperties, required: accountRequired } as const;
export const accountWithBalanceSchema = {
  type: 'object',
  properties: { ...accountProperties, balance: balanceSchema },
  required: [...accountRequired, 'balance'],
} as const;

export const transactionSchema = {
  type: 'object',
  properties: {
    transactionId: { type: 'string', examples: ['ltx_01JB3Z6Q8R4S5T6V7W8X9Y0Z1A'] },
    code: { type: 'string', enum: TRANSACTION_CODES },
    referenceType: { type: 'string', examples: ['payment'] },
    referenceId: { type: 'string' },
    description: nullableString,
    effectiveAt: { ...instant, description: 'Sandbox time of the movement' },
    createdAt: { ...instant, description: 'Real time of the record' },
    reversesTransactionId: nullableString,
    reversedByTransactionId: nullableString,
    postings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          accountId: { type: 'string' },
          direction: { type: 'string', enum: ['debit', 'credit'] },
          amount,
          currency: { type: 'string', enum: ['INR', 'PTS'] },
        },
        required: ['accountId', 'direction', 'amount', 'currency'],
      },
    },
  },
  required: [
    'transactionId',
    'code',
    'referenceType',
    'referenceId',
    'description',
    'effectiveAt',
    'createdAt',
    'reversesTransactionId',
    'reversedByTransactionId',
    'postings',
  ],
} as const;

export const accountListQuery = {
  type: 'object',
  properties: {
    ...pageQueryProperties,
    type: { type: 'string', enum: ACCOUNT_TYPES },
    currency: { type: 'string', enum: ['INR', 'PTS'] },
    code: {
      type: 'string',
      maxLength: 200,
      description: 'An account code; a chart code without qualifier also matches its qualified accounts (`clearing` → `clearing:upi`, …)',
    },
  },
} as const;

export const transactionListQuery = {
  type: 'object',
  properties: {
    ...pageQueryProperties,
    accountId: { type: 'string', maxLength: 64, description: 'Transactions with a posting on this account' },
    code: { type: 'string', enum: TRANSACTION_CODES },
    referenceType: { type: 'string', maxLength: 200 },
    referenceId: { type: 'string', maxLength: 200 },
    from: { type: 'string', maxLength: 40, description: 'Effective at or after this ISO 8601 instant' },
    to: { type: 'string', maxLength: 40, description: 'Effective before this ISO 8601 instant' },
  },
} as const;

export const balanceQuery = {
  type: 'object',
  properties: { asOf: { type: 'string', maxLength: 40, description: 'An ISO 8601 instant (with offset); the balance then, by sandbox time' } },
} as const;

export const accountListResponse = envelopeSchema(pageSchema(accountSchema));
export const accountResponse = envelopeSchema(accountWithBalanceSchema);
export const balanceResponse = envelopeSchema(balanceSchema);
export const transactionListResponse = envelopeSchema(pageSchema(transactionSchema));
export const transactionResponse = envelopeSchema(transactionSchema);
