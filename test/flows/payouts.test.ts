import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { seedBearer } from '../support/oauth.js';
import { apiClient, idem, newCompany, START, type Api } from '../support/payouts.js';

/**
 * Issue 7's flow: the sandbox user's password grant, funds, a beneficiary per destination, a
 * payout by every mode (an RTGS under ₹2 lakh refused, a NEFT waiting for its batch on the sandbox
 * clock), one failure that returns the money and one reversal after success; the ledger verifies
 * and the payout balance is what was loaded less what was paid and kept.
 */
describe(`payouts flow (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  const verify = async () => expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  const balance = async () => (await api('GET', '/v0/payout-account/balance')).json().payload as { balance: number; ledgerBalance: number; heldAmount: number };
  const advance = async (seconds: number) => {
    const res = await api('POST', '/v0/sandbox/clock/advance', { seconds });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload as { timersFired: number };
  };
  const pay = (body: Record<string, unknown>, headers: Record<string, string> = {}) => api('POST', '/v0/payout-transaction', body, { ...idem(), ...headers });

  beforeAll(async () => {
    t = await createTestApp();
    await t.services.clocks.moveForwardTo(SANDBOX.companyId, START);
    api = apiClient(t, await seedBearer(t.app));
  });
  afterAll(async () => t?.close());

  it('pays by every mode, fails one, reverses one, and the books balance', async () => {
    expect(await balance()).toEqual({
      fundSourceId: `FS${SANDBOX.companyId}`,
      balance: 0,
      ledgerBalance: 0,
      heldAmount: 0,
      currency: 'INR',
      asOn: START.toISOString(),
    });

    const funded = await api('POST', '/v0/payout-account/add-funds', { amount: 1_000_000, reference: 'Float top-up' }, idem());
    expect(funded.statusCode, funded.body).toBe(200);
    expect(funded.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        fundLoadId: expect.stringMatching(/^pfl_/),
        amount: 1_000_000,
        utr: expect.stringMatching(/^\d{12}$/),
        sourceAccountNumber: null,
        reference: 'Float top-up',
        status: 'CREDITED',
        createdOn: START.toISOString(),
        balance: {
          fundSourceId: `FS${SANDBOX.companyId}`,
          balance: 1_000_000,
          ledgerBalance: 1_000_000,
          heldAmount: 0,
          currency: 'INR',
          asOn: START.toISOString(),
        },
      },
    });

    const beneficiaries = [
      { beneficiaryId: 'BENOK', beneficiaryName: 'Asha Rao', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0000001' },
      { beneficiaryId: 'BENBAD', beneficiaryName: 'Closed Account', beneficiaryAccountNumber: '100000000002', beneficiaryIfsc: 'SBIN0000001' },
      { beneficiaryId: 'BENRET', beneficiaryName: 'Returned Later', beneficiaryAccountNumber: '100000000003', beneficiaryIfsc: 'ICIC0000001' },
      { beneficiaryId: 'BENUPI', beneficiaryName: 'Upi Payee', vpaHandle: 'success@enkash' },
    ];
    for (const b of beneficiaries) expect((await api('POST', '/v0/beneficiary-detail', b)).statusCode).toBe(200);
    const added = await api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'BENMAIL',
      beneficiaryName: 'Mail Payee',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'hdfc0000001',
      beneficiaryEmail: 'payee@example.com',
      beneficiaryPincode: '400013',
    });
    expect(added.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        beneficiaryId: 'BENMAIL',
        beneficiaryName: 'Mail Payee',
        beneficiaryAccountNumber: '100000000001',
        beneficiaryIfsc: 'HDFC0000001',
        vpaHandle: null,
        beneficiaryEmail: 'payee@example.com',
        beneficiaryPhone: null,
        beneficiaryAddress: null,
        beneficiaryCity: null,
        beneficiaryState: null,
        beneficiaryPincode: '400013',
        createdOn: START.toISOString(),
      },
    });

    // IMPS: credited at once, with a 12-digit RRN.
    const imps = await pay({ transactionId: 'IMPS-1', beneficiaryId: 'BENOK', transferAmount: 1500.5, transferMode: 'IMPS', transferRemark: 'Invoice 42' });
    expect(imps.statusCode).toBe(200);
    expect(imps.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        transactionId: 'IMPS-1',
        enkashTransactionId: expect.stringMatching(/^po_/),
        batchTransactionId: null,
        beneficiaryId: 'BENOK',
        beneficiaryName: 'Asha Rao',
        transferAmount: 1500.5,
        transferMode: 'IMPS',
        transferStatus: 'SUCCESS',
        statusCode: null,
        remarks: 'Transfer credited to the beneficiary',
        transferRemark: 'Invoice 42',
        reference: null,
        fundSourceId: null,
        utr: expect.stringMatching(/^\d{12}$/),
        createdOn: START.toISOString(),
        updatedOn: START.toISOString(),
      },
    });

    // UPI to a VPA.
    const upi = (await pay({ transactionId: 'UPI-1', beneficiaryId: 'BENUPI', transferAmount: 250, transferMode: 'UPI' })).json();
    expect(upi.payload).toMatchObject({ transferStatus: 'SUCCESS', transferMode: 'UPI', utr: expect.stringMatching(/^\d{12}$/) });

    // RTGS below ₹2 lakh: REJECTED, nothing held; the same transactionId succeeds once the amount is right.
    const lowRtgs = await pay({ transactionId: 'RTGS-1', beneficiaryId: 'BENOK', transferAmount: 150_000, transferMode: 'RTGS' });
    expect(lowRtgs.statusCode).toBe(200);
    expect(lowRtgs.json()).toMatchObject({
      response_code: 1,
      response_message: 'Transfer rejected (REJECT_TRF_AMT): RTGS needs at least ₹2,00,000.00',
      payload: { transactionId: 'RTGS-1', transferStatus: 'REJECTED', statusCode: 'REJECT_TRF_AMT', utr: null },
    });
    expect(await balance()).toMatchObject({ heldAmount: 0, ledgerBalance: 1_000_000 - 1750.5 });
    const rtgs = (await pay({ transactionId: 'RTGS-1', beneficiaryId: 'BENOK', transferAmount: 250_000, transferMode: 'RTGS' })).json();
    expect(rtgs.payload).toMatchObject({ transferStatus: 'SUCCESS', utr: expect.stringMatching(/^YESBRC20261127\d{8}$/) });

    // NEFT: PROCESSING with its money held until the 16:00 IST batch.
    const neft = (await pay({ transactionId: 'NEFT-1', beneficiaryId: 'BENOK', transferAmount: 10_000 })).json();
    expect(neft.payload).toMatchObject({
      transferMode: 'NEFT',
      transferStatus: 'PROCESSING',
      remarks: 'Sent to the bank; NEFT batch at 2026-11-27T10:30:00.000Z',
      utr: expect.stringMatching(/^YESBN6331\d{7}$/),
    });
    expect(await balance()).toMatchObject({ heldAmount: 10_000, ledgerBalance: 1_000_000 - 1750.5 - 250_000, balance: 1_000_000 - 1750.5 - 250_000 - 10_000 });

    // A failure: the money is never taken.
    const failed = (await pay({ transactionId: 'FAIL-1', beneficiaryId: 'BENBAD', transferAmount: 5_000, transferMode: 'IMPS' })).json();
    expect(failed.payload).toMatchObject({
      transferStatus: 'FAILED',
      statusCode: 'INVALID_ACCOUNT',
      remarks: 'Transfer failed (invalid_account); the amount is returned to the payout balance',
    });

    // Credited now, returned by the beneficiary bank a day later.
    const returned = (await pay({ transactionId: 'RET-1', beneficiaryId: 'BENRET', transferAmount: 7_000, transferMode: 'IMPS' })).json();
    expect(returned.payload).toMatchObject({ transferStatus: 'SUCCESS' });
    await verify();

    // 22 minutes: before the batch, nothing moves; one more minute and the NEFT is credited.
    expect(await advance(22 * 60)).toMatchObject({ timersFired: 0 });
    expect(await advance(60)).toMatchObject({ timersFired: 1 });
    const afterBatch = (await api('POST', '/v0/payout-transaction/search', { transactionId: 'NEFT-1' })).json();
    expect(afterBatch.payload.content).toEqual([
      expect.objectContaining({ transferStatus: 'SUCCESS', utr: neft.payload.utr, updatedOn: '2026-11-27T10:30:00.000Z' }),
    ]);
    expect(await balance()).toMatchObject({ heldAmount: 0 });

    // A day later the returned payout is REVERSED and its money is back.
    await advance(86_400);
    const reversed = (await api('POST', '/v0/payout-transaction/search', { transactionId: 'RET-1' })).json();
    expect(reversed.payload.content).toEqual([expect.objectContaining({ transferStatus: 'REVERSED', statusCode: 'RETURNED_BY_BENEFICIARY_BANK' })]);

    const paid = 1500.5 + 250 + 250_000 + 10_000;
    expect(await balance()).toMatchObject({ balance: 1_000_000 - paid, ledgerBalance: 1_000_000 - paid, heldAmount: 0 });
    await verify();

    const all = (await api('POST', '/v0/payout-transaction/search', { limit: 100 })).json().payload;
    expect(all.totalElements).toBe(7);
    expect((all.content as { transactionId: string; transferStatus: string }[]).map((p) => `${p.transactionId}:${p.transferStatus}`).sort()).toEqual([
      'FAIL-1:FAILED',
      'IMPS-1:SUCCESS',
      'NEFT-1:SUCCESS',
      'RET-1:REVERSED',
      'RTGS-1:REJECTED',
      'RTGS-1:SUCCESS',
      'UPI-1:SUCCESS',
    ]);
  });

  it("lists the float's movements in a statement with running balances", async () => {
    const res = await api('POST', '/v0/payout-account/statement', { fromDate: '2026-11-27', toDate: '2026-11-28' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json().payload;
    expect(s).toMatchObject({
      fromDate: '2026-11-27',
      toDate: '2026-11-28',
      openingBalance: 0,
      closingBalance: 1_000_000 - 261_750.5,
      totalElements: 7,
      offset: 0,
      number: 0,
      size: 20,
      totalPages: 1,
    });
    expect(s.content.map((e: { type: string; amount: number; balance: number; code: string }) => [e.type, e.amount, e.balance, e.code])).toEqual([
      ['CREDIT', 1_000_000, 1_000_000, 'sandbox_funding'],
      ['DEBIT', 1500.5, 998_499.5, 'payout'],
      ['DEBIT', 250, 998_249.5, 'payout'],
      ['DEBIT', 250_000, 748_249.5, 'payout'],
      ['DEBIT', 7_000, 741_249.5, 'payout'],
      ['DEBIT', 10_000, 731_249.5, 'payout'],
      ['CREDIT', 7_000, 738_249.5, 'payout_return'],
    ]);
    const bad = await api('POST', '/v0/payout-account/statement', { fromDate: '2026-11-01', toDate: '2026-12-31' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({ response_code: 422, response_message: 'A statement spans at most 31 days', payload: null });
  });

  it('refuses a duplicate transactionId with 409 and an insufficient balance without a ledger change', async () => {
    const dup = await pay({ transactionId: 'IMPS-1', beneficiaryId: 'BENOK', transferAmount: 10, transferMode: 'IMPS' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ response_code: 409, response_message: 'transactionId IMPS-1 already exists', payload: null });

    const before = await t.services.ledger.listTransactions(t.database.db, SANDBOX.companyId, {}, { offset: 0, limit: 100 });
    const short = await pay({ transactionId: 'BIG-1', beneficiaryId: 'BENOK', transferAmount: 5_000_000, transferMode: 'RTGS' });
    expect(short.statusCode).toBe(200);
    expect(short.json()).toEqual({
      response_code: 1,
      response_message: 'Insufficient balance in payout account',
      payload: 'Insufficient balance in payout account',
    });
    const after = await t.services.ledger.listTransactions(t.database.db, SANDBOX.companyId, {}, { offset: 0, limit: 100 });
    expect(after.total).toBe(before.total);
    expect((await api('POST', '/v0/payout-transaction/search', { transactionId: 'BIG-1' })).json().payload.totalElements).toBe(0);
    expect(await balance()).toMatchObject({ heldAmount: 0, balance: 738_249.5 });
    await verify();
  });

  it('answers each reject code of a transfer and records the attempt', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ beneficiaryId: 'NOPE', transferAmount: 10 }, 'REJECT_BENEF_ID'],
      [{ transferAmount: 10 }, 'REJECT_BENEF_ID'],
      [{ beneficiaryId: 'BENOK', transferAmount: 0.5 }, 'REJECT_TRF_AMT'],
      [{ beneficiaryId: 'BENOK', transferAmount: 10, transferMode: 'CHEQUE' }, 'REJECT_TRF_MODE'],
      [{ beneficiaryId: 'BENOK', transferAmount: 10, transferMode: 'UPI' }, 'REJECT_TRF_MODE'],
      [{ beneficiaryId: 'BENUPI', transferAmount: 100_001, transferMode: 'UPI' }, 'REJECT_TRF_AMT'],
      [{ beneficiaryId: 'BENOK', transferAmount: 500_001, transferMode: 'IMPS' }, 'REJECT_TRF_AMT'],
      [{ beneficiaryId: 'BENOK', transferAmount: 10, transferRemark: 'semi;colon' }, 'REJECT_TRF_RMK'],
      [{ beneficiaryId: 'BENOK', transferAmount: 10, fundSourceId: 'FSOTHER' }, 'REJECT_FND_SRC_ID'],
      [{ beneficiaryId: 'BENOK', transferAmount: 10, debitAccountNumber: '999999999' }, 'REJECT_FND_SRC_ID'],
      [{ beneficiaryId: 'BENOK', beneficiaryDetail: { beneficiaryName: 'X Y', vpaHandle: 'a@b' }, transferAmount: 10 }, 'REJECT_BENEF_DET_ID'],
      [{ beneficiaryDetail: { beneficiaryName: 'X1', vpaHandle: 'success@enkash' }, transferAmount: 10, transferMode: 'UPI' }, 'REJECT_BENEF_NAME'],
      [
        { beneficiaryDetail: { beneficiaryName: 'Inline', beneficiaryAccountNumber: '12', beneficiaryIfsc: 'HDFC0000001' }, transferAmount: 10 },
        'REJECT_BENEF_ACC',
      ],
      [
        { beneficiaryDetail: { beneficiaryName: 'Inline', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC000001' }, transferAmount: 10 },
        'REJECT_BENEF_IFSC',
      ],
      [
        {
          beneficiaryDetail: { beneficiaryName: 'Inline', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0999999' },
          transferAmount: 10,
          transferMode: 'IMPS',
        },
        'REJECT_BENEF_IFSC',
      ],
      [
        {
          beneficiaryDetail: { beneficiaryName: 'Inline', vpaHandle: 'success@enkash', beneficiaryEmail: 'not-an-email' },
          transferAmount: 10,
          transferMode: 'UPI',
        },
        'REJECT_BENEF_EMAIL',
      ],
    ];
    for (const [i, [body, code]] of cases.entries()) {
      const res = await pay({ transactionId: `REJ-${i}`, ...body });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json(), JSON.stringify(body)).toMatchObject({
        response_code: 1,
        payload: { transactionId: `REJ-${i}`, transferStatus: 'REJECTED', statusCode: code },
      });
    }
    const bad = await pay({ transactionId: 'bad id!', beneficiaryId: 'BENOK', transferAmount: 10 });
    expect(bad.json()).toMatchObject({ payload: { statusCode: 'REJECT_TXN_ID' } });
    // A third decimal is EnKash's 422 for a bad field, before anything is recorded.
    const decimals = await pay({ transactionId: 'DEC-1', beneficiaryId: 'BENOK', transferAmount: 10.005 });
    expect(decimals.statusCode).toBe(422);
    expect(decimals.headers['x-error-code']).toBe('payout_invalid_field');
    expect(decimals.json()).toEqual({ response_code: 422, response_message: expect.stringMatching(/^Please provide a valid transferAmount: /), payload: null });
    // An inline beneficiary pays without being registered.
    const inline = (
      await pay({
        transactionId: 'INLINE-1',
        beneficiaryDetail: { beneficiaryName: 'Walk In', vpaHandle: 'success@enkash' },
        transferAmount: 10,
        transferMode: 'UPI',
      })
    ).json();
    expect(inline.payload).toMatchObject({ transferStatus: 'SUCCESS', beneficiaryId: null, beneficiaryName: 'Walk In' });
    expect(await balance()).toMatchObject({ heldAmount: 0, balance: 738_239.5 });
    await verify();
  });

  it('publishes PAYOUT_* events with the §3 body', async () => {
    const res = await api('GET', '/v0/events?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const types = (res.json().payload.content as { type: string }[]).map((e) => e.type);
    expect(types.filter((x) => x === 'PAYOUT_REVERSED')).toHaveLength(1);
    expect(types.filter((x) => x === 'PAYOUT_PENDING')).toHaveLength(1);
    expect(types.filter((x) => x === 'PAYOUT_FAILED')).toHaveLength(1);
    expect(types).toContain('PAYOUT_SUCCESS');
    expect(types).toContain('PAYOUT_REJECTED');
  });

  it('batches: PENDING, then sent in order on the sandbox clock; a short float rejects the rest', async () => {
    const { api: other, companyId } = await newCompany(t, 'Batch payouts');
    await other('POST', '/v0/payout-account/add-funds', { amount: 300 }, idem());
    await other('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'One',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'HDFC0000001',
    });
    const body = {
      batchTransactionId: 'BATCH-1',
      transfers: [
        { transactionId: 'B-1', beneficiaryId: 'B1', transferAmount: 100, transferMode: 'IMPS' },
        { transactionId: 'B-2', beneficiaryId: 'B1', transferAmount: 150, transferMode: 'NEFT' },
        { transactionId: 'B-3', beneficiaryId: 'MISSING', transferAmount: 10, transferMode: 'IMPS' },
        { transactionId: 'B-4', beneficiaryId: 'B1', transferAmount: 100, transferMode: 'IMPS' },
      ],
    };
    const res = await other('POST', '/v0/payout-transaction/batch', body, idem());
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .payload.transfers.map((x: { transactionId: string; transferStatus: string; statusCode: string | null }) => [
          x.transactionId,
          x.transferStatus,
          x.statusCode,
        ]),
    ).toEqual([
      ['B-1', 'PENDING', null],
      ['B-2', 'PENDING', null],
      ['B-3', 'REJECTED', 'REJECT_BENEF_ID'],
      ['B-4', 'PENDING', null],
    ]);
    expect((await other('POST', '/v0/payout-transaction/batch', body, idem())).statusCode).toBe(409);
    // The batch timer is due at once: a zero advance runs it.
    expect(await t.services.timers.advance(companyId, START)).toEqual({ fired: 1 });
    const found = (await other('POST', '/v0/payout-transaction/search', { batchTransactionId: 'BATCH-1' })).json().payload.content as {
      transactionId: string;
      transferStatus: string;
      statusCode: string | null;
    }[];
    expect(Object.fromEntries(found.map((x) => [x.transactionId, [x.transferStatus, x.statusCode]]))).toEqual({
      'B-1': ['SUCCESS', null],
      'B-2': ['PROCESSING', null],
      'B-3': ['REJECTED', 'REJECT_BENEF_ID'],
      'B-4': ['REJECTED', 'REJECT_INSUFFICIENT_BALANCE'],
    });
    expect((await other('GET', '/v0/payout-account/balance')).json().payload).toMatchObject({ balance: 50, heldAmount: 150 });
    expect((await t.services.ledger.verify(t.database.db, { companyId })).breaks).toEqual([]);
  });
});
