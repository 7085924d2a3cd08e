import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../src/core/ids/ids.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { PENNY_TIMER } from '../../src/products/verification/penny-drop.js';
import * as checks from '../../src/products/verification/repository.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { sandboxFund } from '../support/ledger.js';
import { newCompany, type Api } from '../support/payouts.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * Bank-account verification (docs/api/verification.md "Bank account"): a real ₹1.00 IMPS payout
 * per penny drop through the payouts product, one flow per fixture account (valid, invalid, closed,
 * frozen, NRE, bank timeout then success with its webhook), penny-less, an unknown IFSC, the short
 * balance (response_code 1, nothing moved), a replay that sends no second rupee, §14's
 * POST /api/v0/pennyDrop, 100 concurrent penny drops against ₹50; the ledger verifies.
 */
describe(`penny drop (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let companyId: string;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  const START = new Date(Math.floor(Date.now() / 1000) * 1000);
  let n = 0;
  const ref = () => `PD-${++n}`;
  const consent = { consent: 'Y', purpose: 'Payee check' };
  const check = (body: object) => api('POST', '/v0/verification/bank-account', { referenceId: ref(), ...consent, ...body });
  const ok = async (body: object) => {
    const res = await check(body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().response_code, res.body).toBe(0);
    return res.json().payload;
  };
  const balance = async (id = companyId) =>
    (await t.services.ledger.balance(t.database.db, id, (await t.services.ledger.getAccount(t.database.db, id, 'payout_float')).id)).available;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    t.clock.set(START);
    ({ api, companyId } = await newCompany(t, 'Penny'));
    const config = await api('POST', '/v0/webhook-data', { webhookUrl: `${rx.url}/verify`, events: ['VERIFICATION_COMPLETED'], companyId });
    secret = config.json().payload.secret;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('a short balance answers response_code 1, moves nothing and records nothing', async () => {
    const res = await api('POST', '/v0/verification/bank-account', { referenceId: 'SHORT', ...consent, accountNumber: '100000000001', ifsc: 'HDFC0000001' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response_code: 1, response_message: 'Insufficient balance', payload: null });
    expect((await api('POST', '/v0/verification/search', {})).json().payload.totalElements).toBe(0);
    expect((await api('POST', '/v0/payout-transaction/search', {})).json().payload.totalElements).toBe(0);
  });

  it('valid account: a ₹1.00 IMPS payout with its UTR, the name at bank matched; a replay sends no second rupee', async () => {
    await sandboxFund(t.database.db, t.services.ledger, companyId, 100_00n, 'penny-funds', 'payout_float');
    const res = await api('POST', '/v0/verification/bank-account', {
      referenceId: 'VALID-1',
      ...consent,
      accountNumber: '100000000001',
      ifsc: 'hdfc0000001',
      name: 'Ms. Asha Zaveri',
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json().payload;
    expect(res.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        verificationId: expect.stringMatching(/^VRF/),
        referenceId: 'VALID-1',
        checkType: 'BANK_ACCOUNT',
        status: 'VALID',
        message: 'The account can be credited',
        input: '100000000001@HDFC0000001',
        result: {
          accountNumber: '100000000001',
          ifsc: 'HDFC0000001',
          bank: 'HDFC Bank',
          branch: 'Sandbox Branch, Lower Parel',
          accountExists: true,
          accountStatus: 'ACTIVE',
          nameAtBank: 'ASHA ZAVERI',
          nameMatchScore: 100,
          pennyDrop: true,
          amount: 1,
          utr: expect.stringMatching(/^[A-Z0-9]{10,22}$/),
          transferStatus: 'SUCCESS',
          failureReason: null,
        },
        nameMatch: expect.objectContaining({ nameGiven: 'Ms. Asha Zaveri', nameOnRecord: 'ASHA ZAVERI', score: 100, band: 'MATCH' }),
        purpose: 'Payee check',
        dataVersion: 'tijori-sandbox-registries-2026.12',
        createdOn: START.toISOString(),
        completedOn: START.toISOString(),
        purgedOn: null,
      },
    });
    expect(await balance()).toBe(99_00n);
    // The payout is the payouts product's, with the same UTR.
    const payouts = (await api('POST', '/v0/payout-transaction/search', { transactionId: `PD-${p.verificationId}` })).json().payload;
    expect(payouts.content).toEqual([expect.objectContaining({ transferAmount: 1, transferMode: 'IMPS', transferStatus: 'SUCCESS', utr: p.result.utr })]);
    const again = await api('POST', '/v0/verification/bank-account', {
      referenceId: 'VALID-1',
      ...consent,
      accountNumber: '100000000001',
      ifsc: 'hdfc0000001',
      name: 'Ms. Asha Zaveri',
    });
    expect(again.json().payload).toEqual(p);
    expect(await balance()).toBe(99_00n);
  });

  it('invalid, closed, frozen and NRE accounts: INVALID with the reason, the rupee returned', async () => {
    const cases: [string, boolean, string, string][] = [
      ['100000000002', false, 'INVALID', 'invalid_account'],
      ['100000000006', true, 'CLOSED', 'account_closed'],
      ['100000000010', true, 'FROZEN', 'account_frozen'],
      ['100000000011', true, 'NRE', 'nre_account'],
    ];
    const before = await balance();
    for (const [accountNumber, accountExists, accountStatus, failureReason] of cases) {
      const p = await ok({ accountNumber, ifsc: 'ICIC0000001', name: 'Imran Inamdar' });
      expect(p, accountNumber).toMatchObject({
        status: 'INVALID',
        message: `The account cannot be credited (${failureReason})`,
        result: { accountExists, accountStatus, failureReason, pennyDrop: true, transferStatus: 'FAILED', nameMatchScore: null },
        nameMatch: null,
      });
    }
    expect(await balance()).toBe(before);
  });

  it('penny-less: the bank asked, no money moved; an unknown IFSC is INVALID before any payout', async () => {
    const before = await balance();
    expect(await ok({ accountNumber: '100000000001', ifsc: 'HDFC0000001', pennyLess: true, name: 'Asha Zaveri' })).toMatchObject({
      status: 'VALID',
      result: { pennyDrop: false, amount: 0, utr: null, nameAtBank: 'ASHA ZAVERI', nameMatchScore: 100 },
    });
    expect(await ok({ accountNumber: '100000000001', ifsc: 'HDFC0999999' })).toMatchObject({
      status: 'INVALID',
      message: 'No bank branch has the IFSC HDFC0999999',
      result: { accountExists: false, failureReason: 'unknown_ifsc', pennyDrop: false },
    });
    const bad = await check({ accountNumber: '12AB', ifsc: 'HDFC0000001' });
    expect([bad.statusCode, bad.json().response_message]).toEqual([400, 'Invalid field accountNumber: must be 6 to 18 digits']);
    expect(await balance()).toBe(before);
  });

  it('bank timeout: PENDING, then VALID with the UTR and a signed webhook once the bank answers', async () => {
    const pending = await ok({ accountNumber: '100000000009', ifsc: 'HDFC0000001', name: 'Ravi Kumar Sharma' });
    expect(pending).toMatchObject({ status: 'PENDING', result: null, completedOn: null });
    await t.services.timers.advance(companyId, new Date(START.getTime() + 3 * 60_000));
    const done = (await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload;
    expect(done).toMatchObject({
      status: 'VALID',
      result: { accountStatus: 'ACTIVE', nameAtBank: 'RAVI KUMAR SHARMA', nameMatchScore: 100, utr: expect.any(String), transferStatus: 'SUCCESS' },
    });
    const until = Date.now() + 15_000;
    while (rx.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    const r = rx.received[0]!;
    const body = new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    });
    expect(body).toEqual({ event: 'VERIFICATION_COMPLETED', ...done });
  });

  it('POST /api/v0/pennyDrop answers in the shape of reference §14', async () => {
    const res = await api('POST', '/v0/pennyDrop', {
      beneficiaryAccountNumber: '100000000001',
      customerRequestId: 'ENKASH-PD-1',
      beneficiaryIfscCode: 'HDFC0000001',
      pennyLess: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        ifsc: 'HDFC0000001',
        requestId: 'ENKASH-PD-1',
        enkashUniqueId: expect.stringMatching(/^VRF/),
        utr: expect.any(String),
        status: 'VALID',
        beneficiaryName: 'ASHA ZAVERI',
      },
    });
  });

  it('a client that verifies payout checksums strictly: the internal ₹1 transfer needs none, the account is VALID', async () => {
    const strict = await newCompany(t, 'Strict penny', { payoutChecksum: 'strict' });
    await sandboxFund(t.database.db, t.services.ledger, strict.companyId, 10_00n, 'strict-funds', 'payout_float');
    const res = await strict.api('POST', '/v0/verification/bank-account', {
      referenceId: 'STRICT-1',
      ...consent,
      accountNumber: '100000000001',
      ifsc: 'HDFC0000001',
    });
    expect(res.json().payload, res.body).toMatchObject({ status: 'VALID', result: { transferStatus: 'SUCCESS', failureReason: null } });
    expect(await balance(strict.companyId)).toBe(9_00n);
  });

  it('a failure after the check is written leaves no check; the same referenceId then works', async () => {
    const c = await newCompany(t, 'Retry penny');
    const body = { referenceId: 'RETRY-1', ...consent, accountNumber: '100000000001', ifsc: 'HDFC0000001' };
    const count = async () => (await c.api('POST', '/v0/verification/search', {})).json().payload.totalElements;
    // Short balance: 4xx-like response_code 1, nothing recorded.
    expect((await c.api('POST', '/v0/verification/bank-account', body)).json().response_code).toBe(1);
    expect(await count()).toBe(0);
    await sandboxFund(t.database.db, t.services.ledger, c.companyId, 10_00n, 'retry-funds', 'payout_float');
    // A throw inside the payout's transaction, after the check is written: a 500 that commits nothing.
    const real = t.services.payouts.createTransfer.bind(t.services.payouts);
    const spy = vi.spyOn(t.services.payouts, 'createTransfer').mockImplementationOnce((ctx, input, complete) =>
      real(ctx, input, async (tx, result) => {
        await complete(tx, result);
        throw new Error('injected failure after the check insert');
      }),
    );
    try {
      expect((await c.api('POST', '/v0/verification/bank-account', body)).statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await count()).toBe(0);
    expect((await c.api('POST', '/v0/payout-transaction/search', {})).json().payload.totalElements).toBe(0);
    expect(await balance(c.companyId)).toBe(10_00n);
    const retried = await c.api('POST', '/v0/verification/bank-account', body);
    expect(retried.json().payload, retried.body).toMatchObject({ referenceId: 'RETRY-1', status: 'VALID' });
    expect(await count()).toBe(1);
    expect(await balance(c.companyId)).toBe(9_00n);
  });

  it('a PENDING check whose payout does not exist ends FAILED when its timer looks', async () => {
    const c = await newCompany(t, 'Lost payout');
    const now = await t.services.clocks.now(c.companyId);
    const id = newId('VRF', now);
    await withTransaction(t.database.db, async (tx) => {
      await checks.insertCheck(tx, {
        id,
        companyId: c.companyId,
        referenceId: 'LOST-1',
        checkType: 'BANK_ACCOUNT',
        status: 'PENDING',
        inputMasked: '100000000001@HDFC0000001',
        inputHash: 'lost',
        name: null,
        result: null,
        nameMatch: null,
        message: 'The penny drop is with the bank',
        consentPurpose: 'Payee check',
        consentText: null,
        requestedBy: c.companyId,
        requestIp: null,
        dataVersion: 'tijori-sandbox-registries-2026.12',
        createdAt: now,
        completedAt: null,
        purgedAt: null,
      });
      await t.services.timers.schedule(tx, { companyId: c.companyId, dueAt: new Date(now.getTime() + 60_000), kind: PENNY_TIMER, payload: { id } });
    });
    await t.services.timers.advance(c.companyId, new Date(now.getTime() + 2 * 60_000));
    expect((await c.api('GET', `/v0/verification/${id}`)).json().payload).toMatchObject({
      status: 'FAILED',
      message: `The penny drop's payout PD-${id} does not exist; verify the account again with a new referenceId`,
      result: { pennyDrop: false, failureReason: 'payout_missing' },
      completedOn: expect.any(String),
    });
  });

  it('100 concurrent penny drops against a balance for 50 move exactly ₹50; the ledger verifies', async () => {
    const other = await newCompany(t, 'Fifty');
    await sandboxFund(t.database.db, t.services.ledger, other.companyId, 50_00n, 'fifty-funds', 'payout_float');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        other.api('POST', '/v0/verification/bank-account', { referenceId: `C-${i}`, ...consent, accountNumber: '100000000001', ifsc: 'HDFC0000001' }),
      ),
    );
    const codes = answers.map((a) => a.json().response_code);
    expect(codes.filter((c) => c === 0)).toHaveLength(50);
    expect(codes.filter((c) => c === 1)).toHaveLength(50);
    expect(await balance(other.companyId)).toBe(0n);
    expect((await other.api('POST', '/v0/verification/search', {})).json().payload.totalElements).toBe(50);
    const report = await t.services.ledger.verify(t.database.db);
    expect(report.breaks).toEqual([]);
  });
});
