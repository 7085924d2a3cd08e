import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { idem, newCompany, type Api } from '../../../test/support/payouts.js';
import { countStatements } from '../../../test/support/statements.js';

/**
 * The statement budget of the payout hot path (DESIGN.md, core rules; ADR 0014 "Statement
 * budget"): statements sent per request, BEGIN and COMMIT included, on both engines. Measured
 * 29 for an IMPS payout and 3 for a status read before the budget; the figures below are what the
 * path sends now, upper bounds that core changes (cached token or clock reads) may only lower.
 */
const BUDGET = {
  /**
   * Token, client setting, and one transaction: the beneficiary, the transfer, its event, the
   * ledger post (the float's checked update with the journal). 17 before the sandbox clock was
   * cached, the publish made one statement and unchecked balance changes written with the journal.
   */
  impsPayout: 10,
  /** The same with an Idempotency-Key: its claim and its completion (22 before). */
  impsPayoutWithIdempotencyKey: 14,
  /** Token and one query (the page and its total together). */
  statusRead: 2,
};

describe(`payout statement budget (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  const body = (transactionId: string) => ({
    transactionId,
    beneficiaryId: 'BUDGET1',
    transferAmount: 1,
    transferMode: 'IMPS',
    transferRemark: 'budget payout',
  });

  beforeAll(async () => {
    // No worker or timer poll may use the database while statements are counted.
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    ({ api } = await newCompany(t, 'Budget'));
    expect((await api('POST', '/v0/payout-account/add-funds', { amount: 1000 }, idem())).statusCode).toBe(200);
    expect(
      (
        await api('POST', '/v0/beneficiary-detail', {
          beneficiaryId: 'BUDGET1',
          beneficiaryName: 'Budget Payee',
          beneficiaryAccountNumber: '100000000001',
          beneficiaryIfsc: 'HDFC0000001',
        })
      ).statusCode,
    ).toBe(200);
    // The first payout of a company creates its clearing account: not the steady state.
    expect((await api('POST', '/v0/payout-transaction', body('BUDGET-WARM'))).json().payload.transferStatus).toBe('SUCCESS');
  });
  afterAll(async () => t?.close());

  it(`an IMPS payout (SUCCESS) sends at most ${BUDGET.impsPayout} statements`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/payout-transaction', body('BUDGET-1')));
    expect(result.json()).toMatchObject({ response_code: 0, payload: { transactionId: 'BUDGET-1', transferStatus: 'SUCCESS' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.impsPayout);
  });

  it(`with an Idempotency-Key, at most ${BUDGET.impsPayoutWithIdempotencyKey}`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/payout-transaction', body('BUDGET-2'), idem()));
    expect(result.json()).toMatchObject({ response_code: 0, payload: { transactionId: 'BUDGET-2', transferStatus: 'SUCCESS' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.impsPayoutWithIdempotencyKey);
  });

  it(`a payout status read (search by transactionId) sends at most ${BUDGET.statusRead}`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/payout-transaction/search', { transactionId: 'BUDGET-1' }));
    expect(result.json()).toMatchObject({
      response_code: 0,
      payload: { totalElements: 1, content: [{ transactionId: 'BUDGET-1', transferStatus: 'SUCCESS' }] },
    });
    expect(statements).toBeLessThanOrEqual(BUDGET.statusRead);
  });

  it('a page past the end still answers the total', async () => {
    const res = await api('POST', '/v0/payout-transaction/search', { offset: 40, limit: 20 });
    expect(res.json()).toMatchObject({ response_code: 0, payload: { totalElements: 3, content: [] } });
  });
});
