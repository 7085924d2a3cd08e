import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { seedBearer } from '../support/oauth.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { advanceTo, balanceOf, inject, SANDBOX } from './gateway-settlements-fixtures.js';

// E-Collect virtual accounts (reference §2.11; ADR 0025) through the HTTP API on a real database:
// create, view by id and by account number, update, close, search; inward credits by each mode
// through the sandbox route, matched and posted to the ledger, notified at a local receiver;
// duplicate UTRs credit once; rejected credits move no money; the ledger verifies after each step.

let t: TestApp;
let headers: Record<string, string>;
let rx: Awaited<ReturnType<typeof startReceiver>>;

const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
const count = async (table: string) =>
  Number((await queryRows<{ n: string }>(t.database.db, sql`select count(*)::text as n from ${sql.identifier(table)}`))[0]!.n);
const state = async () => ({
  accounts: await count('gateway_virtual_accounts'),
  credits: await count('gateway_virtual_account_credits'),
  ledger: await count('ledger_transactions'),
  events: await count('events'),
  available: await balanceOf(t.database, SANDBOX, 'merchant_available'),
});
const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: object, extra: Record<string, string> = {}) =>
  inject(t.app, headers, method, url, body, extra);
const credit = (body: object, extra: Record<string, string> = {}) => call('POST', '/api/v0/sandbox/virtual-account/credit', body, extra);
const remitter = { remitterName: 'Asha Traders', remitterAccount: '50100012345678', remitterIfsc: 'HDFC0000001' };
let seq = 0;
const createAccount = async (extra: object = {}) => {
  const res = await call('POST', '/api/v0/virtual-account', { referenceId: `CUST-${++seq}`, customerName: 'Asha Traders', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.payload as Record<string, any>;
};

beforeAll(async () => {
  rx = await startReceiver();
  t = await createTestApp();
  headers = await gatewayHeaders(t.app);
});

afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe(`gateway e-collect on ${backend}`, () => {
  it('creates a virtual account with its account number, IFSC and VPA; views it by id and by account number', async () => {
    const res = await call('POST', '/api/v0/virtual-account', {
      referenceId: 'CUST-1001',
      customerName: 'Asha Traders',
      customerEmail: 'accounts@asha.in',
      customerMobile: '9876543210',
      description: 'Rent collections',
      amountRule: 'RANGE',
      minAmount: 100,
      maxAmount: 50000.5,
      allowedPaymentModes: ['NEFT', 'IMPS'],
      closeBy: '2026-06-30T18:30:00.000Z',
      allowedRemitters: [{ accountNumber: '50100012345678', ifsc: 'HDFC0000001' }],
      notifyUrl: `${rx.url}/va`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const a = res.body.payload;
    expect(res.body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        virtualAccountId: expect.stringMatching(/^VAC\d{13}[A-Za-z0-9]{5}$/),
        referenceId: 'CUST-1001',
        accountNumber: expect.stringMatching(/^8800\d{12}$/),
        ifsc: 'YESB0000001',
        bankName: 'Yes Bank',
        vpa: `ecol.${a.accountNumber}@enkash`,
        customerName: 'Asha Traders',
        customerEmail: 'accounts@asha.in',
        customerMobile: '9876543210',
        description: 'Rent collections',
        amountRule: 'RANGE',
        amount: null,
        minAmount: 100,
        maxAmount: 50000.5,
        allowedPaymentModes: ['NEFT', 'IMPS'],
        allowedRemitters: [{ accountNumber: '50100012345678', ifsc: 'HDFC0000001' }],
        closeBy: '2026-06-30T18:30:00.000Z',
        notifyUrl: `${rx.url}/va`,
        status: 'ACTIVE',
        closedAt: null,
        totalCreditedAmount: 0,
        creditCount: 0,
        createdOn: '2026-01-01T00:00:00.000Z',
        lastModified: '2026-01-01T00:00:00.000Z',
      },
    });
    expect((await call('GET', `/api/v0/virtual-account/${a.virtualAccountId}`)).body).toEqual(res.body);
    expect((await call('GET', `/api/v0/virtual-account/account/${a.accountNumber}`)).body).toEqual(res.body);

    const plain = await createAccount();
    expect(plain).toMatchObject({
      amountRule: 'ANY',
      amount: null,
      minAmount: null,
      maxAmount: null,
      allowedPaymentModes: ['NEFT', 'IMPS', 'RTGS', 'UPI'],
      allowedRemitters: [],
      closeBy: null,
      notifyUrl: null,
    });
    expect(plain.accountNumber).not.toBe(a.accountNumber);
  });

  it('refuses invalid accounts with a clear error and creates nothing', async () => {
    await createAccount({ referenceId: 'DUP-1' });
    const before = await state();
    const cases: Array<[object, number, string, string]> = [
      [{ referenceId: 'DUP-1', customerName: 'X' }, 409, 'virtual_account_reference_exists', 'referenceId DUP-1 is already used by a virtual account'],
      [{ referenceId: 'V-1' }, 400, 'validation_failed', ''],
      [{ referenceId: 'V-2', customerName: 'X', amountRule: 'EXACT' }, 400, 'validation_failed', 'Missing required field amount: amountRule EXACT needs it'],
      [
        { referenceId: 'V-3', customerName: 'X', amountRule: 'RANGE' },
        400,
        'validation_failed',
        'Missing required field minAmount or maxAmount: amountRule RANGE needs at least one',
      ],
      [
        { referenceId: 'V-4', customerName: 'X', amountRule: 'RANGE', minAmount: 10, maxAmount: 5 },
        400,
        'validation_failed',
        'Invalid field maxAmount: it is below minAmount',
      ],
      [{ referenceId: 'V-5', customerName: 'X', amount: 10 }, 400, 'validation_failed', 'Invalid field amount: only amountRule EXACT takes it (ANY given)'],
      [{ referenceId: 'V-6', customerName: 'X', amountRule: 'EXACT', amount: 10.005 }, 400, 'invalid_amount', ''],
      [
        { referenceId: 'V-7', customerName: 'X', closeBy: '2025-12-31T00:00:00Z' },
        400,
        'validation_failed',
        'Invalid field closeBy: it must be after the sandbox time 2026-01-01T00:00:00.000Z',
      ],
      [{ referenceId: 'V-8', customerName: 'X', allowedPaymentModes: ['CHEQUE'] }, 400, 'validation_failed', ''],
      [{ referenceId: 'V-9', customerName: 'X', customerMobile: '12345' }, 400, 'validation_failed', ''],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await call('POST', '/api/v0/virtual-account', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers['x-error-code']).toBe(code);
      expect(res.body.payload).toBeNull();
      if (message) expect(res.body.response_message).toBe(message);
    }
    expect(await state()).toEqual(before);
    const missing = await call('GET', '/api/v0/virtual-account/VAC0000000000000nope0');
    expect(missing.body).toEqual({ response_code: 404, response_message: 'No virtual account VAC0000000000000nope0', payload: null });
    expect((await call('GET', '/api/v0/virtual-account/account/8800000000000000')).status).toBe(404);
  });

  it('credits NEFT, IMPS, RTGS and UPI (by VPA): ledger, running total, credits list and a webhook per credit', async () => {
    const a = await createAccount({ notifyUrl: `${rx.url}/modes` });
    const before = await balanceOf(t.database, SANDBOX, 'merchant_available');
    const modes: Array<[string, number, object]> = [
      ['NEFT', 1500.25, { accountNumber: a.accountNumber, ifsc: 'YESB0000001' }],
      ['IMPS', 499999.99, { accountNumber: a.accountNumber }],
      ['RTGS', 200000, { accountNumber: a.accountNumber }],
      ['UPI', 100000, { vpa: a.vpa.toUpperCase(), remitterVpa: 'asha@okhdfc' }],
    ];
    const answers = [];
    for (const [mode, amount, target] of modes) {
      const res = await credit({ ...target, amount, mode, ...remitter, utr: `UTR${mode}0001` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.payload).toMatchObject({
        virtualAccountId: a.virtualAccountId,
        paymentMode: mode,
        amount,
        status: 'CREDITED',
        utr: `UTR${mode}0001`,
        rejectReason: null,
        rejectMessage: null,
      });
      answers.push(res.body.payload);
      await verify();
    }
    const total = 150025n + 49999999n + 20000000n + 10000000n;
    expect(await balanceOf(t.database, SANDBOX, 'merchant_available')).toBe(before + total);
    expect(answers.at(-1)).toEqual({
      virtualAccountId: a.virtualAccountId,
      referenceId: a.referenceId,
      accountNumber: a.accountNumber,
      ifsc: 'YESB0000001',
      vpa: a.vpa,
      creditId: expect.stringMatching(/^VCR\d{13}[A-Za-z0-9]{5}$/),
      amount: 100000,
      currency: 'INR',
      paymentMode: 'UPI',
      utr: 'UTRUPI0001',
      ...remitter,
      remitterVpa: 'asha@okhdfc',
      status: 'CREDITED',
      txnDate: '2026-01-01T00:00:00.000Z',
      totalCreditedAmount: Number(total) / 100,
      rejectReason: null,
      rejectMessage: null,
    });
    const view = (await call('GET', `/api/v0/virtual-account/${a.virtualAccountId}`)).body.payload;
    expect(view).toMatchObject({ totalCreditedAmount: Number(total) / 100, creditCount: 4 });

    // UPI and bank modes clear through their own rails' clearing accounts.
    const postings = async (creditId: string) => {
      const tx = (await t.services.ledger.findTransactionByReference(t.database.db, SANDBOX, {
        code: 'virtual_account_credit',
        referenceType: 'gateway_virtual_account_credit',
        referenceId: creditId,
      }))!;
      const codes = [];
      for (const p of tx.postings) codes.push(`${p.direction} ${(await t.services.ledger.getAccount(t.database.db, SANDBOX, p.accountId)).code} ${p.amount}`);
      return codes.sort();
    };
    expect(await postings(answers[0]!.creditId)).toEqual(['credit merchant_available 150025', 'debit clearing:bank_transfer 150025']);
    expect(await postings(answers[3]!.creditId)).toEqual(['credit merchant_available 10000000', 'debit clearing:upi 10000000']);

    const list = await call('GET', `/api/v0/virtual-account/${a.virtualAccountId}/credits?limit=3`);
    expect(list.body.payload).toMatchObject({ totalElements: 4, totalPages: 2, size: 3, number: 0 });
    expect(list.body.payload.content.map((c: { paymentMode: string }) => c.paymentMode)).toEqual(['NEFT', 'IMPS', 'RTGS']);

    const hooks = (await rx.waitFor(4)).filter((r) => r.path === '/modes');
    expect(hooks).toHaveLength(4);
    const last = hooks.map((h) => JSON.parse(h.body) as Record<string, unknown>).find((b) => b['paymentMode'] === 'UPI')!;
    const { rejectReason: _r, rejectMessage: _m, ...notified } = answers[3]!;
    expect(last).toEqual(notified);
    expect(hooks[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    const events = await queryRows<{ type: string }>(
      t.database.db,
      sql`select type from events where company_id = ${SANDBOX} and type = 'VIRTUAL_ACCOUNT_CREDITED'`,
    );
    expect(events.length).toBeGreaterThanOrEqual(4);
  });

  it('credits a UTR once: the same credit again answers the first; another credit with it is a 409', async () => {
    const a = await createAccount();
    const b = await createAccount();
    const body = { accountNumber: a.accountNumber, amount: 2500, mode: 'IMPS', ...remitter, utr: 'DUPUTR000001' };
    const first = await credit(body);
    const before = await state();
    const again = await credit(body);
    expect(again.status).toBe(200);
    expect(again.body.payload).toEqual(first.body.payload);
    const other = await credit({ ...body, accountNumber: b.accountNumber });
    expect(other.status).toBe(409);
    expect(other.headers['x-error-code']).toBe('virtual_account_utr_reused');
    expect(other.body.response_message).toBe(`utr DUPUTR000001 was already used for another credit (${first.body.payload.creditId})`);
    expect((await credit({ ...body, amount: 2600 })).status).toBe(409);
    expect(await state()).toEqual(before);
    expect((await call('GET', `/api/v0/virtual-account/${a.virtualAccountId}`)).body.payload.totalCreditedAmount).toBe(2500);

    // Without a UTR the bank assigns one in the mode's shape (an IMPS RRN: 12 digits).
    const assigned = await credit({ accountNumber: a.accountNumber, amount: 10, mode: 'IMPS', ...remitter });
    expect(assigned.body.payload.utr).toMatch(/^\d{12}$/);
    const neft = await credit({ accountNumber: a.accountNumber, amount: 10, mode: 'NEFT', ...remitter });
    expect(neft.body.payload.utr).toMatch(/^HDFCN\d{11}$/);
    await verify();
  });

  it('credits a UTR once under concurrent deliveries, to one account or to two', async () => {
    const a = await createAccount();
    const b = await createAccount();
    const before = await state();
    const body = { accountNumber: a.accountNumber, amount: 777, mode: 'UPI', ...remitter, utr: 'RACEUTR00001' };
    const answers = await Promise.all([...Array(6)].map((_, i) => credit(i % 3 === 2 ? { ...body, accountNumber: b.accountNumber } : body)));
    const ok = answers.filter((r) => r.status === 200);
    const winner = ok[0]!.body.payload;
    expect(ok.every((r) => r.body.payload.creditId === winner.creditId)).toBe(true);
    // The twins aimed at the other account than the winner's are refused; the rest repeat the winner.
    expect(answers.filter((r) => r.status === 409).every((r) => r.headers['x-error-code'] === 'virtual_account_utr_reused')).toBe(true);
    expect(ok.length + answers.filter((r) => r.status === 409).length).toBe(6);
    const after = await state();
    expect({ ...after, events: 0 }).toEqual({
      ...before,
      events: 0,
      credits: before.credits + 1,
      ledger: before.ledger + 1,
      available: before.available + 77_700n,
    });
    await verify();
  });

  it('returns credits that break a rule: recorded REJECTED with the reason, no money, no webhook', async () => {
    const exact = await createAccount({ amountRule: 'EXACT', amount: 999.99, notifyUrl: `${rx.url}/rejected` });
    const range = await createAccount({ amountRule: 'RANGE', minAmount: 100, maxAmount: 200, allowedPaymentModes: ['IMPS', 'UPI'] });
    const tpv = await createAccount({ allowedRemitters: [{ accountNumber: '11112222333', ifsc: 'ICIC0000001' }] });
    const expiring = await createAccount({ closeBy: '2026-01-02T00:00:00.000Z' });
    const closed = await createAccount();
    expect((await call('PATCH', `/api/v0/virtual-account/${closed.virtualAccountId}`, { status: 'CLOSED' })).body.payload).toMatchObject({
      status: 'CLOSED',
      closedAt: '2026-01-01T00:00:00.000Z',
    });
    const received = rx.received.length;
    const cases: Array<[Record<string, any>, object, string, string]> = [
      [exact, { amount: 999.98, mode: 'IMPS' }, 'amount_mismatch', 'The account expects exactly ₹999.99'],
      [range, { amount: 99.99, mode: 'IMPS' }, 'amount_below_minimum', 'The account takes at least ₹100.00'],
      [range, { amount: 200.01, mode: 'UPI' }, 'amount_above_maximum', 'The account takes at most ₹200.00'],
      [range, { amount: 150, mode: 'NEFT' }, 'mode_not_allowed', 'NEFT credits are not allowed (allowed: IMPS, UPI)'],
      [tpv, { amount: 150, mode: 'NEFT' }, 'remitter_not_allowed', 'Remitter account 50100012345678 (HDFC0000001) is not an allowed remitter of the account'],
      [closed, { amount: 150, mode: 'NEFT' }, 'account_closed', `Virtual account ${closed.accountNumber} is closed`],
      [exact, { amount: 199999.99, mode: 'RTGS' }, 'mode_limit', 'RTGS needs at least ₹2,00,000.00'],
      [tpv, { amount: 500000.01, mode: 'IMPS', remitterAccount: '11112222333', remitterIfsc: 'ICIC0000001' }, 'mode_limit', 'IMPS allows at most ₹5,00,000.00'],
      [tpv, { amount: 100000.01, mode: 'UPI', remitterAccount: '11112222333', remitterIfsc: 'ICIC0000001' }, 'mode_limit', 'UPI allows at most ₹1,00,000.00'],
      [tpv, { amount: 0.99, mode: 'NEFT', remitterAccount: '11112222333', remitterIfsc: 'ICIC0000001' }, 'mode_limit', 'The amount must be at least ₹1.00'],
    ];
    let n = 0;
    for (const [account, body, reason, message] of cases) {
      const before = await state();
      const res = await credit({ accountNumber: account.accountNumber, ...remitter, utr: `REJ${++n}00000`, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.payload).toMatchObject({ status: 'REJECTED', rejectReason: reason, rejectMessage: message, totalCreditedAmount: 0 });
      expect(await state()).toEqual({ ...before, credits: before.credits + 1 });
    }
    // The TPV account takes its allowed remitter.
    expect(
      (
        await credit({
          accountNumber: tpv.accountNumber,
          amount: 150,
          mode: 'NEFT',
          remitterName: 'Allowed',
          remitterAccount: '11112222333',
          remitterIfsc: 'ICIC0000001',
        })
      ).body.payload.status,
    ).toBe('CREDITED');

    // closeBy passes on the sandbox clock: the account reads CLOSED and returns credits.
    await advanceTo(t.services, '2026-01-02T00:00:00.000Z');
    expect((await call('GET', `/api/v0/virtual-account/${expiring.virtualAccountId}`)).body.payload.status).toBe('CLOSED');
    const expired = await credit({ accountNumber: expiring.accountNumber, amount: 10, mode: 'IMPS', ...remitter });
    expect(expired.body.payload).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'account_expired',
      rejectMessage: `Virtual account ${expiring.accountNumber} closed by 2026-01-02T00:00:00.000Z`,
    });

    const list = await call('GET', `/api/v0/virtual-account/${range.virtualAccountId}/credits`);
    expect(list.body.payload.content.map((c: { rejectReason: string }) => c.rejectReason)).toEqual([
      'amount_below_minimum',
      'amount_above_maximum',
      'mode_not_allowed',
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received.slice(received).filter((r) => r.path === '/rejected')).toEqual([]);
    await verify();
  });

  it("answers 404 for an unknown account, VPA or another bank's IFSC, and records nothing", async () => {
    const a = await createAccount();
    const before = await state();
    const cases: Array<[object, string]> = [
      [{ accountNumber: '8800000000000000' }, 'No virtual account with account number 8800000000000000'],
      [{ accountNumber: a.accountNumber, ifsc: 'HDFC0000001' }, `No virtual account with account number ${a.accountNumber} at HDFC0000001`],
      [{ vpa: 'ecol.8800000000000000@enkash', mode: 'UPI' }, 'No virtual account with VPA ecol.8800000000000000@enkash'],
    ];
    for (const [target, message] of cases) {
      const res = await credit({ amount: 10, mode: 'IMPS', ...remitter, ...target });
      expect(res.status).toBe(404);
      expect(res.headers['x-error-code']).toBe('virtual_account_not_found');
      expect(res.body).toEqual({ response_code: 404, response_message: message, payload: null });
    }
    const invalid: object[] = [
      { amount: 10, mode: 'IMPS', ...remitter },
      { accountNumber: a.accountNumber, vpa: a.vpa, amount: 10, mode: 'IMPS', ...remitter },
      { vpa: a.vpa, amount: 10, mode: 'NEFT', ...remitter },
      { accountNumber: a.accountNumber, amount: 10.001, mode: 'IMPS', ...remitter },
      { accountNumber: a.accountNumber, amount: 10, mode: 'CHEQUE', ...remitter },
      { accountNumber: a.accountNumber, amount: 10, mode: 'IMPS', ...remitter, remitterIfsc: 'hdfc0000001' },
      { accountNumber: a.accountNumber, amount: -5, mode: 'IMPS', ...remitter },
    ];
    for (const body of invalid) expect((await credit(body)).status, JSON.stringify(body)).toBe(400);
    expect(await state()).toEqual(before);
  });

  it('updates an account, closes it for good, and searches with filters and Spring pages', async () => {
    const a = await createAccount({ referenceId: 'UPD-1', customerMobile: '9000000001' });
    const upd = await call('PATCH', `/api/v0/virtual-account/${a.virtualAccountId}`, {
      customerName: 'Asha Traders LLP',
      amountRule: 'EXACT',
      amount: 250,
      allowedPaymentModes: ['UPI'],
      notifyUrl: null,
      closeBy: '2026-12-31T00:00:00Z',
    });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body.payload).toMatchObject({
      customerName: 'Asha Traders LLP',
      amountRule: 'EXACT',
      amount: 250,
      minAmount: null,
      allowedPaymentModes: ['UPI'],
      notifyUrl: null,
      closeBy: '2026-12-31T00:00:00.000Z',
      status: 'ACTIVE',
    });
    const noRule = await call('PATCH', `/api/v0/virtual-account/${a.virtualAccountId}`, { amount: 300 });
    expect(noRule.status).toBe(400);
    expect(noRule.body.response_message).toBe('Missing required field amountRule: send it with amount, minAmount or maxAmount');
    expect((await call('PATCH', `/api/v0/virtual-account/${a.virtualAccountId}`, {})).status).toBe(400);
    expect((await call('PATCH', '/api/v0/virtual-account/VAC0000000000000nope0', { description: 'x' })).status).toBe(404);

    const search = (body: object, query = '') => call('POST', `/api/v0/virtual-account/search${query}`, body);
    const byRef = await search({ referenceId: 'UPD-1' });
    expect(byRef.body.payload).toMatchObject({ totalElements: 1, content: [{ virtualAccountId: a.virtualAccountId }] });
    expect((await search({ customerMobile: '9000000001' })).body.payload.totalElements).toBe(1);
    expect((await search({ accountNumber: a.accountNumber })).body.payload.content[0].referenceId).toBe('UPD-1');

    const closed = await call('PATCH', `/api/v0/virtual-account/${a.virtualAccountId}`, { status: 'CLOSED' });
    expect(closed.body.payload.status).toBe('CLOSED');
    const again = await call('PATCH', `/api/v0/virtual-account/${a.virtualAccountId}`, { description: 'reopen?' });
    expect(again.status).toBe(409);
    expect(again.headers['x-error-code']).toBe('virtual_account_closed');

    const all = (await search({}, '?limit=100')).body.payload;
    const active = (await search({ status: 'ACTIVE' }, '?limit=100')).body.payload;
    const closedPage = (await search({ status: 'CLOSED' }, '?limit=100')).body.payload;
    expect(active.totalElements + closedPage.totalElements).toBe(all.totalElements);
    expect(closedPage.content.map((v: { status: string }) => v.status)).toEqual(closedPage.content.map(() => 'CLOSED'));
    expect(active.content.map((v: { status: string }) => v.status)).toEqual(active.content.map(() => 'ACTIVE'));
    expect(closedPage.content.map((v: { virtualAccountId: string }) => v.virtualAccountId)).toContain(a.virtualAccountId);

    const first = (await search({}, '?limit=2&offset=0&direction=ASC')).body.payload;
    const second = (await search({}, '?limit=2&offset=2&direction=ASC')).body.payload;
    expect(first).toMatchObject({ size: 2, number: 0, offset: 0, totalElements: all.totalElements });
    expect(second.number).toBe(1);
    expect(new Set([...first.content, ...second.content].map((v: { virtualAccountId: string }) => v.virtualAccountId)).size).toBe(4);
    expect((await search({ status: 'OPEN' })).status).toBe(400);
    await verify();
  });

  it('the sandbox credit takes an OAuth token too, and is refused (403) for a live company', async () => {
    const a = await createAccount();
    const bearer = { authorization: await seedBearer(t.app) };
    const viaOAuth = await inject(t.app, bearer, 'POST', '/api/v0/sandbox/virtual-account/credit', {
      accountNumber: a.accountNumber,
      amount: 42,
      mode: 'IMPS',
      ...remitter,
    });
    expect(viaOAuth.body.payload.status).toBe('CREDITED');
    await t.services.identity.setSandboxMode(SANDBOX, false);
    try {
      const before = await state();
      const live = await credit({ accountNumber: a.accountNumber, amount: 42, mode: 'IMPS', ...remitter });
      expect(live.status).toBe(403);
      expect(live.headers['x-error-code']).toBe('sandbox_only');
      expect(await state()).toEqual(before);
    } finally {
      await t.services.identity.setSandboxMode(SANDBOX, true);
    }
    // The ledger holds exactly the matched credits: merchant_available is their sum (nothing else funds it here).
    const [sum] = await queryRows<{ s: string }>(
      t.database.db,
      sql`select coalesce(sum(amount_paise), 0)::text as s from gateway_virtual_account_credits where company_id = ${SANDBOX} and status = 'CREDITED'`,
    );
    expect(await balanceOf(t.database, SANDBOX, 'merchant_available')).toBe(BigInt(sum!.s));
    await verify();
  });
});
