import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { envelope, errorEnvelopeSchema } from '../http/envelope.js';
import { toPage, type PageRequest } from '../http/pagination.js';
import { formatAmount, type Currency } from '../money/money.js';
import type { TransactionCode } from './chart.js';
import { LedgerAccountNotFoundError, LedgerInvalidQueryError, LedgerTransactionNotFoundError } from './errors.js';
import type { Account, AccountType, Balance, Transaction } from './model.js';
import {
  accountListQuery,
  accountListResponse,
  accountResponse,
  balanceQuery,
  balanceResponse,
  transactionListQuery,
  transactionListResponse,
  transactionResponse,
} from './schemas.js';
import type { Ledger } from './service.js';

// The ledger read APIs (a Tijori extension, docs/api/ledger.md), company-scoped: every id is
// looked up within the caller's company, so another company's id is a plain 404.

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = ISO_INSTANT.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw new LedgerInvalidQueryError(`Invalid field ${field}: must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T18:30:00Z`, { param: field });
  }
  return at;
}

export function wireBalance(b: Balance) {
  const money = (v: bigint) => formatAmount(v, b.currency);
  return {
    accountId: b.accountId,
    currency: b.currency,
    posted: money(b.posted),
    pending: money(b.pending),
    pendingInflow: money(b.pendingInflow),
    available: money(b.available),
    debitsPosted: money(b.debitsPosted),
    creditsPosted: money(b.creditsPosted),
    debitsPending: money(b.debitsPending),
    creditsPending: money(b.creditsPending),
    asOf: b.asOf ? b.asOf.toISOString() : null,
  };
}

export function wireAccount(a: Account) {
  return {
    accountId: a.id,
    code: a.code,
    name: a.name,
    type: a.type,
    normalBalance: a.normalBalance,
    currency: a.currency,
    allowNegative: a.allowNegative,
    ownerType: a.ownerType,
    ownerId: a.ownerId,
    createdAt: a.createdAt.toISOString(),
  };
}

export function wireTransaction(t: Transaction) {
  return {
    transactionId: t.id,
    code: t.code,
    referenceType: t.referenceType,
    referenceId: t.referenceId,
    description: t.description,
    effectiveAt: t.effectiveAt.toISOString(),
    createdAt: t.createdAt.toISOString(),
    reversesTransactionId: t.reversesTransactionId,
    reversedByTransactionId: t.reversedByTransactionId,
    postings: t.postings.map((p) => ({ accountId: p.accountId, direction: p.direction, amount: formatAmount(p.amount, p.currency), currency: p.currency })),
  };
}

const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema };

export function registerLedgerRoutes(app: FastifyInstance, ledger: Ledger): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ledger.db;

  async function accountOf(companyId: string, accountId: string): Promise<Account> {
    // Only ids in the path: a code could name several accounts.
    if (!accountId.startsWith('la_')) throw new LedgerAccountNotFoundError('Ledger account not found', { param: 'accountId' });
    return ledger.getAccount(db, companyId, accountId);
  }

  api.get<{ Querystring: PageRequest & { type?: AccountType; currency?: Currency; code?: string } }>(
    '/v0/ledger/accounts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Ledger'],
        operationId: 'ledger.listAccounts',
        summary: 'List ledger accounts (Tijori extension)',
        description: "The company's ledger accounts, ordered by code, currency and id. Filters: type, currency, code.",
        security: [{ bearer: [] }],
        querystring: accountListQuery,
        response: { 200: accountListResponse, ...errors },
      },
    },
    async (request) => {
      const { offset, limit, type, currency, code } = request.query;
      const page = { offset, limit };
      const { rows, total } = await ledger.listAccounts(
        db,
        request.principal!.companyId,
        { ...(type ? { type } : {}), ...(currency ? { currency } : {}), ...(code ? { code } : {}) },
        page,
      );
      return envelope(toPage(rows.map(wireAccount), total, page));
    },
  );

  api.get<{ Params: { accountId: string } }>(
    '/v0/ledger/accounts/:accountId',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Ledger'],
        operationId: 'ledger.getAccount',
        summary: 'Get a ledger account with its balance (Tijori extension)',
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { accountId: { type: 'string', maxLength: 64 } }, required: ['accountId'] },
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => {
      const companyId = request.principal!.companyId;
      const account = await accountOf(companyId, request.params.accountId);
      const balance = await ledger.balance(db, companyId, account.id);
      return envelope({ ...wireAccount(account), balance: wireBalance(balance) });
    },
  );

  api.get<{ Params: { accountId: string }; Querystring: { asOf?: string } }>(
    '/v0/ledger/accounts/:accountId/balance',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Ledger'],
        operationId: 'ledger.getBalance',
        summary: "Get a ledger account's balance, now or as of an instant (Tijori extension)",
        description: 'With `asOf`, the balance from postings effective at or before that instant and holds open at it (sandbox time).',
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { accountId: { type: 'string', maxLength: 64 } }, required: ['accountId'] },
        querystring: balanceQuery,
        response: { 200: balanceResponse, ...errors },
      },
    },
    async (request) => {
      const companyId = request.principal!.companyId;
      const asOf = parseInstant(request.query.asOf, 'asOf');
      const account = await accountOf(companyId, request.params.accountId);
      return envelope(wireBalance(await ledger.balance(db, companyId, account.id, asOf ? { asOf } : {})));
    },
  );

  api.get<{
    Querystring: PageRequest & { accountId?: string; code?: TransactionCode; referenceType?: string; referenceId?: string; from?: string; to?: string };
  }>(
    '/v0/ledger/transactions',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Ledger'],
        operationId: 'ledger.listTransactions',
        summary: 'List ledger transactions (Tijori extension)',
        description: 'Newest first (effective time, then id). Filters: accountId, code, referenceType, referenceId, from (inclusive), to (exclusive).',
        security: [{ bearer: [] }],
        querystring: transactionListQuery,
        response: { 200: transactionListResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const from = parseInstant(q.from, 'from');
      const to = parseInstant(q.to, 'to');
      const page = { offset: q.offset, limit: q.limit };
      const { rows, total } = await ledger.listTransactions(
        db,
        request.principal!.companyId,
        {
          ...(q.accountId !== undefined ? { accountId: q.accountId } : {}),
          ...(q.code ? { code: q.code } : {}),
          ...(q.referenceType !== undefined ? { referenceType: q.referenceType } : {}),
          ...(q.referenceId !== undefined ? { referenceId: q.referenceId } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        },
        page,
      );
      return envelope(toPage(rows.map(wireTransaction), total, page));
    },
  );

  api.get<{ Params: { transactionId: string } }>(
    '/v0/ledger/transactions/:transactionId',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Ledger'],
        operationId: 'ledger.getTransaction',
        summary: 'Get a ledger transaction with its postings (Tijori extension)',
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { transactionId: { type: 'string', maxLength: 64 } }, required: ['transactionId'] },
        response: { 200: transactionResponse, ...errors },
      },
    },
    async (request) => {
      const id = request.params.transactionId;
      if (!id.startsWith('ltx_')) throw new LedgerTransactionNotFoundError('Ledger transaction not found', { param: 'transactionId' });
      return envelope(wireTransaction(await ledger.getTransaction(db, request.principal!.companyId, id)));
    },
  );
}
