import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/core/db/transaction.js';
import type { Account, Transaction } from '../../src/core/ledger/index.js';
import { SANDBOX } from '../../src/auth/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { basic, postForm, seedPasswordGrant } from '../support/oauth.js';

// The ledger read APIs through the real app: envelope, amounts in rupees (points for PTS),
// filters, pagination, as-of balances, and company isolation (another company's id is a 404 that
// reads exactly like an id that does not exist).

let t: TestApp;
let tokenA: string;
let tokenB: string;
let available: Account;
let points: Account;
let funding: Transaction;
let payout: Transaction;
const A = SANDBOX.companyId;

const get = async (url: string, token: string | null = tokenA) => {
  const res = await t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: res.json(), code: res.headers['x-error-code'] };
};

beforeAll(async () => {
  t = await createTestApp();
  // Tokens are issued on the same clock that dates the ledger entries.
  t.clock.set(new Date('2026-05-01T09:00:00.000Z'));
  const grant = await seedPasswordGrant(t.app);
  tokenA = grant.json().access_token;
  const other = await t.services.identity.createCompany({ name: 'Other Co' });
  const { secret } = await t.services.identity.createClient({ companyId: other.id, grantTypes: ['client_credentials'] });
  tokenB = (await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(other.id, secret))).json().access_token;
  expect(tokenA && tokenB).toBeTruthy();

  const { ledger } = t.services;
  const db = t.database.db;
  await withTransaction(db, (tx) => ledger.provision(tx, A));
  funding = await withTransaction(db, (tx) =>
    ledger.post(tx, A, {
      code: 'sandbox_funding',
      referenceType: 'sandbox_topup',
      referenceId: 'top_1',
      description: 'Sandbox top-up',
      postings: [
        { account: 'sandbox_funding', direction: 'debit', amount: 123_456n },
        { account: 'merchant_available', direction: 'credit', amount: 123_456n },
      ],
    }),
  );
  t.clock.set(new Date('2026-05-01T10:00:00.000Z'));
  payout = await withTransaction(db, (tx) =>
    ledger.post(tx, A, {
      code: 'payout',
      referenceType: 'payout',
      referenceId: 'po_api',
      postings: [
        { account: 'merchant_available', direction: 'debit', amount: 23_401n },
        { account: 'clearing:bank_transfer', direction: 'credit', amount: 23_401n },
      ],
    }),
  );
  await withTransaction(db, (tx) =>
    ledger.placeHold(tx, A, {
      code: 'payout',
      referenceType: 'payout',
      referenceId: 'po_held',
      debitAccount: 'merchant_available',
      creditAccount: 'clearing:bank_transfer',
      amount: 5_050n,
    }),
  );
  await withTransaction(db, (tx) =>
    ledger.post(tx, A, {
      code: 'points_issue',
      referenceType: 'reward',
      referenceId: 'rw_1',
      postings: [
        { account: 'points_clearing', direction: 'debit', amount: 750n },
        { account: 'points_liability:cus_9', direction: 'credit', amount: 750n },
      ],
    }),
  );
  available = await ledger.getAccount(db, A, 'merchant_available');
  points = await ledger.getAccount(db, A, 'points_liability:cus_9');
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v0/ledger/accounts', () => {
  it("lists the company's accounts in a Spring page inside the envelope, ordered by code", async () => {
    const res = await get('/api/v0/ledger/accounts?limit=100');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_code: 0, response_message: 'SUCCESS' });
    const page = res.body.payload;
    expect(page).toMatchObject({ totalElements: 15, totalPages: 1, size: 100, number: 0, offset: 0 });
    const codes = page.content.map((a: { code: string }) => a.code);
    expect(codes).toEqual([...codes].sort());
    expect(page.content.find((a: { code: string }) => a.code === 'merchant_available')).toEqual({
      accountId: available.id,
      code: 'merchant_available',
      name: 'Merchant available balance',
      type: 'liability',
      normalBalance: 'credit',
      currency: 'INR',
      allowNegative: false,
      ownerType: null,
      ownerId: null,
      createdAt: available.createdAt.toISOString(),
    });
  });

  it('filters by type, currency and code (a chart code matches its qualified accounts) and pages', async () => {
    const clearing = await get('/api/v0/ledger/accounts?code=clearing&limit=100');
    expect(clearing.body.payload.content.map((a: { code: string }) => a.code)).toEqual([
      'clearing:b2b',
      'clearing:bank_transfer',
      'clearing:bbps',
      'clearing:card',
      'clearing:netbanking',
      'clearing:upi',
      'clearing:wallet',
    ]);
    const pts = await get('/api/v0/ledger/accounts?currency=PTS');
    expect(pts.body.payload.content.map((a: { code: string }) => a.code)).toEqual(['points_clearing', 'points_liability:cus_9']);
    const revenue = await get('/api/v0/ledger/accounts?type=revenue');
    expect(revenue.body.payload.content.map((a: { code: string }) => a.code)).toEqual(['fees_revenue']);
    const first = await get('/api/v0/ledger/accounts?limit=4');
    const second = await get('/api/v0/ledger/accounts?limit=4&offset=4');
    expect(first.body.payload).toMatchObject({ totalElements: 15, totalPages: 4, number: 0 });
    expect(second.body.payload).toMatchObject({ number: 1, offset: 4 });
    const all = (await get('/api/v0/ledger/accounts?limit=100')).body.payload.content.map((a: { accountId: string }) => a.accountId);
    expect([...first.body.payload.content, ...second.body.payload.content].map((a: { accountId: string }) => a.accountId)).toEqual(all.slice(0, 8));
    const empty = await get('/api/v0/ledger/accounts?offset=200');
    expect(empty.body.payload).toMatchObject({ content: [], totalElements: 15 });
  });

  it('refuses bad filters with a 400 in the envelope', async () => {
    const res = await get('/api/v0/ledger/accounts?type=cash');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ response_code: 400, response_message: expect.stringContaining('type'), payload: null });
    expect((await get('/api/v0/ledger/accounts?limit=101')).status).toBe(400);
  });

  it('another company sees none of them', async () => {
    const res = await get('/api/v0/ledger/accounts', tokenB);
    expect(res.body.payload).toMatchObject({ content: [], totalElements: 0 });
  });
});

describe('GET /api/v0/ledger/accounts/{accountId} and /balance', () => {
  it('answers the account with its balance in rupees (two decimals, exact)', async () => {
    const res = await get(`/api/v0/ledger/accounts/${available.id}`);
    expect(res.status).toBe(200);
    expect(res.body.payload.balance).toEqual({
      accountId: available.id,
      currency: 'INR',
      posted: 1000.55, // 1,234.56 − 234.01
      pending: 50.5,
      pendingInflow: 0,
      available: 950.05,
      debitsPosted: 234.01,
      creditsPosted: 1234.56,
      debitsPending: 50.5,
      creditsPending: 0,
      asOf: null,
    });
  });

  it('answers points as whole numbers', async () => {
    const res = await get(`/api/v0/ledger/accounts/${points.id}/balance`);
    expect(res.body.payload).toMatchObject({ currency: 'PTS', posted: 750, available: 750 });
  });

  it('answers the balance as of a past instant', async () => {
    const before = await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=2026-05-01T08:59:59Z`);
    expect(before.body.payload).toMatchObject({ posted: 0, asOf: '2026-05-01T08:59:59.000Z' });
    const between = await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=${encodeURIComponent('2026-05-01T15:00:00+05:30')}`);
    expect(between.body.payload).toMatchObject({ posted: 1234.56, pending: 0, available: 1234.56, asOf: '2026-05-01T09:30:00.000Z' });
    const bad = await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('ledger_invalid_query');
    expect(bad.body).toEqual({ response_code: 400, response_message: expect.stringContaining('asOf'), payload: null });
    expect((await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=2026-05-01T10:00:00`)).status).toBe(400);
  });

  it("another company's account is a 404 that reads exactly like a missing one", async () => {
    for (const suffix of ['', '/balance']) {
      const foreign = await get(`/api/v0/ledger/accounts/${available.id}${suffix}`, tokenB);
      const missing = await get(`/api/v0/ledger/accounts/la_01JZZZZZZZZZZZZZZZZZZZZZZZ${suffix}`, tokenB);
      const code = await get(`/api/v0/ledger/accounts/merchant_available${suffix}`, tokenA);
      expect(foreign.status).toBe(404);
      expect(foreign.code).toBe('ledger_account_not_found');
      expect(foreign.body).toEqual(missing.body);
      expect(code.body).toEqual(missing.body);
      expect(foreign.body).toEqual({ response_code: 404, response_message: 'Ledger account not found', payload: null });
    }
  });
});

describe('GET /api/v0/ledger/transactions', () => {
  it('lists newest first with postings in rupees', async () => {
    const res = await get('/api/v0/ledger/transactions');
    expect(res.status).toBe(200);
    const page = res.body.payload;
    expect(page.totalElements).toBe(3);
    expect(page.content.map((x: { referenceId: string }) => x.referenceId)).toEqual(['rw_1', 'po_api', 'top_1']);
    expect(page.content[2]).toEqual({
      transactionId: funding.id,
      code: 'sandbox_funding',
      referenceType: 'sandbox_topup',
      referenceId: 'top_1',
      description: 'Sandbox top-up',
      effectiveAt: '2026-05-01T09:00:00.000Z',
      createdAt: funding.createdAt.toISOString(),
      reversesTransactionId: null,
      reversedByTransactionId: null,
      postings: [
        { accountId: funding.postings[0]!.accountId, direction: 'debit', amount: 1234.56, currency: 'INR' },
        { accountId: available.id, direction: 'credit', amount: 1234.56, currency: 'INR' },
      ],
    });
  });

  it('filters by account, code, reference and effective time', async () => {
    const ids = async (query: string) =>
      (await get(`/api/v0/ledger/transactions?${query}`)).body.payload.content.map((x: { transactionId: string }) => x.transactionId);
    expect(await ids(`accountId=${available.id}`)).toEqual([payout.id, funding.id]);
    expect(await ids(`accountId=${points.id}`)).toHaveLength(1);
    expect(await ids('code=payout')).toEqual([payout.id]);
    expect(await ids('referenceType=payout&referenceId=po_api')).toEqual([payout.id]);
    expect(await ids('referenceId=nope')).toEqual([]);
    expect(await ids('from=2026-05-01T09:00:00Z&to=2026-05-01T10:00:00Z')).toEqual([funding.id]);
    expect(await ids('from=2026-05-01T10:00:00Z')).toHaveLength(2);
    expect(await ids('limit=1&offset=1')).toEqual([payout.id]);
    expect((await get('/api/v0/ledger/transactions?code=gift')).status).toBe(400);
    expect((await get('/api/v0/ledger/transactions?from=May')).code).toBe('ledger_invalid_query');
    expect((await get(`/api/v0/ledger/transactions?accountId=${available.id}`, tokenB)).body.payload.totalElements).toBe(0);
  });

  it("answers one transaction with its postings; another company's is a 404 like a missing one", async () => {
    const res = await get(`/api/v0/ledger/transactions/${payout.id}`);
    expect(res.body.payload).toMatchObject({
      transactionId: payout.id,
      code: 'payout',
      postings: [
        { direction: 'debit', amount: 234.01 },
        { direction: 'credit', amount: 234.01 },
      ],
    });
    const foreign = await get(`/api/v0/ledger/transactions/${payout.id}`, tokenB);
    const missing = await get('/api/v0/ledger/transactions/ltx_01JZZZZZZZZZZZZZZZZZZZZZZZ', tokenB);
    const junk = await get('/api/v0/ledger/transactions/po_api', tokenB);
    expect(foreign.status).toBe(404);
    expect(foreign.code).toBe('ledger_transaction_not_found');
    expect(foreign.body).toEqual(missing.body);
    expect(junk.body).toEqual(missing.body);
  });

  it('shows a reversal linked both ways', async () => {
    const reversal = await withTransaction(t.database.db, (tx) => t.services.ledger.reverse(tx, A, payout.id, { reason: 'returned by bank' }));
    expect((await get(`/api/v0/ledger/transactions/${payout.id}`)).body.payload.reversedByTransactionId).toBe(reversal.id);
    expect((await get(`/api/v0/ledger/transactions/${reversal.id}`)).body.payload).toMatchObject({
      code: 'reversal',
      reversesTransactionId: payout.id,
      description: 'returned by bank',
    });
  });
});

describe("effective time is the company's sandbox time", () => {
  it("a transaction posted after the company's clock is advanced is dated then, and only that company's", async () => {
    const later = new Date('2026-05-09T10:00:00.000Z');
    await t.services.clocks.moveForwardTo(A, later);
    const posted = await withTransaction(t.database.db, (tx) =>
      t.services.ledger.post(tx, A, {
        code: 'sandbox_funding',
        referenceType: 'sandbox_topup',
        referenceId: 'top_later',
        postings: [
          { account: 'sandbox_funding', direction: 'debit', amount: 100n },
          { account: 'merchant_available', direction: 'credit', amount: 100n },
        ],
      }),
    );
    expect(posted.effectiveAt).toEqual(later);
    expect((await get(`/api/v0/ledger/transactions/${posted.id}`)).body.payload.effectiveAt).toBe('2026-05-09T10:00:00.000Z');
    // Before the jump the top-up did not exist; after it, it did.
    expect((await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=2026-05-09T09:59:59Z`)).body.payload.posted).toBe(1234.56); // the payout was reversed above
    expect((await get(`/api/v0/ledger/accounts/${available.id}/balance?asOf=2026-05-09T10:00:00Z`)).body.payload.posted).toBe(1235.56);
  });
});

describe('ledger routes need a bearer token and are in the OpenAPI document', () => {
  it('401 without a token', async () => {
    const res = await get('/api/v0/ledger/accounts', null);
    expect(res.status).toBe(401);
  });

  it('documents the five operations', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops).toEqual(
      expect.arrayContaining(['ledger.listAccounts', 'ledger.getAccount', 'ledger.getBalance', 'ledger.listTransactions', 'ledger.getTransaction']),
    );
  });
});
