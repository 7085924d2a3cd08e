import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { apiClient, newCompany, START, type Api } from '../../../test/support/payouts.js';
import { createTenant, tenantHeaders } from '../../../test/support/tenants.js';
import { countStatements } from '../../../test/support/statements.js';

/**
 * The statement budget of a verification check (ADR 0028, ADR 0041), on both engines: statements
 * per request, the bearer token's included. A check is one named insert; a name adds the
 * company's thresholds read; a repeat adds the read of the first check.
 */
const BUDGET = {
  /** Token, the clock (cached), the insert. */
  check: 2,
  /** The same and the company's name-matching thresholds. */
  checkWithName: 3,
  /** The insert that conflicts, then the first check read by referenceId. */
  replay: 3,
  /** Token and the check by id. */
  read: 2,
  /** An IFSC lookup reads RBI's directory in memory: the token only. */
  ifsc: 1,
  /**
   * A reverse penny drop, measured at 22 on both engines: the token, the referenceId read, the
   * merchant keys, the gateway's order (the check inserted in its transaction) and its UPI collect
   * (the gateway's submit, counted by its own budget test), and the check read back.
   */
  reverse: 22,
};

describe(`verification statement budget (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  const body = (referenceId: string, extra: object = {}) => ({ referenceId, consent: 'Y', purpose: 'budget', gstin: '27AABCT1234E1ZS', ...extra });

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    ({ api } = await newCompany(t, 'Budget'));
    expect((await api('POST', '/v0/verification/gstin', body('WARM'))).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it(`a GSTIN check sends at most ${BUDGET.check} statements`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/verification/gstin', body('B-1')));
    expect(result.json()).toMatchObject({ response_code: 0, payload: { referenceId: 'B-1', status: 'VALID' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.check);
  });

  it(`with a name to match, at most ${BUDGET.checkWithName}`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/verification/gstin', body('B-2', { name: 'Tijori Test Pvt Ltd' })));
    expect(result.json()).toMatchObject({ payload: { status: 'VALID', nameMatch: { band: 'MATCH' } } });
    expect(statements).toBeLessThanOrEqual(BUDGET.checkWithName);
  });

  it(`a repeated referenceId, at most ${BUDGET.replay}`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('POST', '/v0/verification/gstin', body('B-1')));
    expect(result.json()).toMatchObject({ payload: { referenceId: 'B-1', status: 'VALID' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.replay);
  });

  it(`a VPA check, like a registry check, at most ${BUDGET.check}; with a name, ${BUDGET.checkWithName}`, async () => {
    const vpa = (referenceId: string, extra: object = {}) => ({ referenceId, consent: 'Y', purpose: 'budget', vpa: 'success@enkash', ...extra });
    const plain = await countStatements(t.database, () => api('POST', '/v0/verification/vpa', vpa('V-1')));
    expect(plain.result.json()).toMatchObject({ payload: { checkType: 'VPA', status: 'VALID' } });
    expect(plain.statements).toBeLessThanOrEqual(BUDGET.check);
    const named = await countStatements(t.database, () => api('POST', '/v0/verification/vpa', vpa('V-2', { name: 'Tijori Success Payer' })));
    expect(named.result.json()).toMatchObject({ payload: { status: 'VALID', nameMatch: { band: 'MATCH' } } });
    expect(named.statements).toBeLessThanOrEqual(BUDGET.checkWithName);
  });

  it(`an IFSC lookup, at most ${BUDGET.ifsc}`, async () => {
    const { result, statements } = await countStatements(t.database, () => api('GET', '/v0/verification/ifsc/ABHY0065001'));
    expect(result.json()).toMatchObject({ payload: { status: 'VALID', dataVersion: 'ifsc@2.0.50' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.ifsc);
  });

  it(`a reverse penny drop, at most ${BUDGET.reverse}`, async () => {
    const tenant = await createTenant(t.services, 'BudgetReverse', 'budget.reverse@example.com');
    await t.services.clocks.moveForwardTo(tenant.companyId, START);
    const reverse = apiClient(t, (await tenantHeaders(t.app, tenant)).bearer.authorization!);
    const body = (referenceId: string) => ({ referenceId, consent: 'Y', purpose: 'budget', payerVpa: 'pending@enkash' });
    expect((await reverse('POST', '/v0/verification/bank-account/reverse', body('R-WARM'))).statusCode).toBe(200);
    const { result, statements } = await countStatements(t.database, () => reverse('POST', '/v0/verification/bank-account/reverse', body('R-1')));
    expect(result.json()).toMatchObject({ payload: { checkType: 'BANK_ACCOUNT_REVERSE', status: 'PENDING' } });
    expect(statements).toBeLessThanOrEqual(BUDGET.reverse);
  });

  it(`a read by verificationId, at most ${BUDGET.read}`, async () => {
    const id = (await api('POST', '/v0/verification/search', { referenceId: 'B-1' })).json().payload.content[0].verificationId;
    const { result, statements } = await countStatements(t.database, () => api('GET', `/v0/verification/${id}`));
    expect(result.json()).toMatchObject({ payload: { verificationId: id } });
    expect(statements).toBeLessThanOrEqual(BUDGET.read);
  });

  it('50 concurrent requests with one referenceId make one check', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => api('POST', '/v0/verification/gstin', body('SAME'))));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((a) => a.json().payload.verificationId)).size).toBe(1);
    expect((await api('POST', '/v0/verification/search', { referenceId: 'SAME' })).json().payload.totalElements).toBe(1);
  });
});
