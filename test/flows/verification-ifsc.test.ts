import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { listTables, tableChecksums } from '../support/db-snapshot.js';
import { newCompany, type Api } from '../support/payouts.js';

/**
 * The IFSC lookup end to end (docs/api/verification.md, ADR 0042): RBI's directory (ifsc@2.0.50)
 * for existence and bank data, the sandbox fixture branches for branch and IMPS/NEFT/RTGS, bad
 * input refused in the product's envelope, nothing written by any lookup.
 */
describe(`IFSC lookup (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  const get = (ifsc: string, headers: Record<string, string> = {}) => api('GET', `/v0/verification/ifsc/${ifsc}`, undefined, headers);
  const unknownBranch = { branch: null, city: null, state: null, imps: null, neft: null, rtgs: null };

  beforeAll(async () => {
    t = await createTestApp();
    ({ api } = await newCompany(t, 'Ifsc'));
  });
  afterAll(async () => t?.close());

  it('a fixture branch: bank data from the directory, branch and rails from the fixture', async () => {
    const res = await get('SBIN0000001');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        ifsc: 'SBIN0000001',
        status: 'VALID',
        message: 'State Bank of India, Kolkata Main',
        bankCode: 'SBIN',
        bank: {
          code: 'SBIN',
          name: 'State Bank of India',
          type: 'PSB',
          iin: '508548',
          upi: true,
          achCredit: true,
          achDebit: true,
          apbs: true,
          nachDebit: true,
        },
        subletOf: null,
        micr: null,
        branch: 'Kolkata Main',
        city: 'Kolkata',
        state: 'West Bengal',
        imps: true,
        neft: true,
        rtgs: true,
        dataVersion: 'ifsc@2.0.50',
      },
    });
  });

  it('a fixture branch without RTGS', async () => {
    expect((await get('AIRP0000001')).json().payload).toMatchObject({
      status: 'VALID',
      branch: 'Sandbox Banking Point, Gurugram',
      imps: true,
      neft: true,
      rtgs: false,
    });
  });

  it("a code of RBI's directory outside the fixtures: branch and rails unknown, MICR where the directory has it", async () => {
    const res = await get('ABHY0065001');
    expect(res.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        ifsc: 'ABHY0065001',
        status: 'VALID',
        message: "Abhyudaya Co-operative Bank: the branch is in RBI's directory, which names no branches",
        bankCode: 'ABHY',
        bank: {
          code: 'ABHY',
          name: 'Abhyudaya Co-operative Bank',
          type: 'S-UCB',
          iin: '607261',
          upi: true,
          achCredit: true,
          achDebit: true,
          apbs: true,
          nachDebit: false,
        },
        subletOf: null,
        micr: '400065001',
        ...unknownBranch,
        dataVersion: 'ifsc@2.0.50',
      },
    });
  });

  it('a sublet answers the member bank and the bank it is sublet from', async () => {
    expect((await get('APBL0001001')).json().payload).toMatchObject({
      status: 'VALID',
      bankCode: 'APBL',
      subletOf: 'APBL',
      bank: { code: 'TSDX', name: 'District Co-operative Central Bank Srikakul', type: 'DCCB' },
    });
  });

  it('a well-formed code outside the directory, the documented missing branch and an unknown bank: NOT_FOUND', async () => {
    for (const ifsc of ['KKBK0001234', 'HDFC0999999', 'ZZZZ0000001']) {
      const res = await get(ifsc);
      expect(res.statusCode).toBe(200);
      expect(res.json().payload).toEqual({
        ifsc,
        status: 'NOT_FOUND',
        message: `No bank branch has the IFSC ${ifsc} in RBI's directory (ifsc@2.0.50)`,
        bankCode: ifsc.slice(0, 4),
        bank: null,
        subletOf: null,
        micr: null,
        ...unknownBranch,
        dataVersion: 'ifsc@2.0.50',
      });
    }
  });

  it('a documented fixture branch the directory lacks is still found', async () => {
    expect((await get('KKBK0000001')).json().payload).toMatchObject({
      status: 'VALID',
      branch: 'Sandbox Branch, Nariman Point',
      micr: null,
      bank: { code: 'KKBK', type: null },
    });
  });

  it('the registry down (scenario fail): FAILED', async () => {
    expect((await get('SBIN0000001', { 'x-tijori-scenario': 'fail' })).json().payload).toMatchObject({
      status: 'FAILED',
      message: 'The IFSC registry did not answer (registry_unavailable); try again later',
      bank: null,
    });
  });

  it('lower case or a bad shape: 400 invalid_rail_input in the envelope, and no lookup writes anything', async () => {
    const tables = await listTables(t.database);
    const before = await tableChecksums(t.database, tables);
    for (const bad of ['sbin0000001', 'SBIN1000001', 'SBIN000001', 'SBIN0-00001']) {
      const res = await get(bad);
      expect([res.statusCode, res.headers['x-error-code']], bad).toEqual([400, 'invalid_rail_input']);
      expect(res.json()).toEqual({
        response_code: 400,
        response_message: 'Invalid field ifsc: must be 4 capital letters, 0, then 6 capital letters or digits',
        payload: null,
      });
    }
    await get('SBIN0000001');
    expect(await tableChecksums(t.database, tables)).toEqual(before);
  });
});
