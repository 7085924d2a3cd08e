import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload, derivePayloadKey, encryptPayload } from '../../src/core/crypto/payload-cipher.js';
import { computeChecksum, transferChecksumFields } from '../../src/products/payouts/index.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { basic, postForm } from '../support/oauth.js';
import { idem, newCompany, START } from '../support/payouts.js';

describe(`payout checksum, AES payloads and company scoping (${backend})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(async () => t?.close());

  it('computes the worked example of docs/api/payouts.md', () => {
    const key = derivePayloadKey('64b0ff0332f058b56402b63a9baa60214f2d61d3');
    const expected = createHash('sha256')
      .update(`TXN1001|BEN001|1500.50|IMPS|${key.toString('hex')}`)
      .digest('hex');
    expect(computeChecksum(transferChecksumFields({ transactionId: 'TXN1001', beneficiaryId: 'BEN001', transferMode: 'IMPS' }, 150_050n), key)).toBe(expected);
    const doc = fs.readFileSync('docs/api/payouts.md', 'utf8');
    expect(doc).toContain(key.toString('hex'));
    expect(doc).toContain(expected);
  });

  it('strict: a beneficiary without a good checksum is 412, a transfer REJECT_CHKSUM; a good one passes', async () => {
    const c = await newCompany(t, 'Strict checksum', { payoutChecksum: 'strict' });
    const key = derivePayloadKey(c.secret);
    const ben = { beneficiaryId: 'BEN001', beneficiaryName: 'Asha Rao', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0000001' };
    const missing = await c.api('POST', '/v0/beneficiary-detail', ben);
    expect(missing.statusCode).toBe(412);
    expect(missing.json()).toEqual({ response_code: 412, response_message: 'Invalid checksum in the request', payload: null });
    expect(missing.headers['x-error-code']).toBe('payout_invalid_checksum');
    const checksum = computeChecksum(['BEN001', 'Asha Rao', '100000000001', 'HDFC0000001', ''], key);
    const ok = await c.api('POST', '/v0/beneficiary-detail', { ...ben, checksum });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers['x-tijori-checksum']).toBe('valid');

    await c.api('POST', '/v0/payout-account/add-funds', { amount: 1000 }, idem());
    const wrong = await c.api(
      'POST',
      '/v0/payout-transaction',
      { transactionId: 'TXN1', beneficiaryId: 'BEN001', transferAmount: 100, transferMode: 'IMPS', checksum: 'ab'.repeat(32) },
      idem(),
    );
    expect(wrong.json()).toMatchObject({ response_code: 1, payload: { transferStatus: 'REJECTED', statusCode: 'REJECT_CHKSUM' } });
    const good = computeChecksum(['TXN1', 'BEN001', '100.00', 'IMPS'], key);
    const paid = await c.api(
      'POST',
      '/v0/payout-transaction',
      { transactionId: 'TXN1', beneficiaryId: 'BEN001', transferAmount: 100, transferMode: 'IMPS', checksum: good },
      idem(),
    );
    expect(paid.json()).toMatchObject({ response_code: 0, payload: { transferStatus: 'SUCCESS' } });
  });

  it('lenient reports a bad checksum without refusing; off ignores it; the setting can be changed', async () => {
    const c = await newCompany(t, 'Lenient checksum', { payoutChecksum: 'lenient' });
    const res = await c.api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'Lenient',
      vpaHandle: 'success@enkash',
      checksum: 'deadbeef',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-tijori-checksum']).toBe('invalid');
    await t.services.identity.setPayoutChecksum(c.companyId, 'off');
    const off = await c.api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B2',
      beneficiaryName: 'Off',
      vpaHandle: 'success@enkash',
      checksum: 'deadbeef',
    });
    expect(off.statusCode).toBe(200);
    expect(off.headers['x-tijori-checksum']).toBeUndefined();
  });

  it('beneficiaries: 412 for account and VPA together, 422 for a bad field, 409 for a used id, search and delete', async () => {
    const c = await newCompany(t, 'Beneficiaries');
    const both = await c.api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'Both',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'HDFC0000001',
      vpaHandle: 'a@okhdfc',
    });
    expect(both.statusCode).toBe(412);
    expect(both.json()).toEqual({
      response_code: 412,
      response_message: 'Provide either beneficiaryAccountNumber and beneficiaryIfsc, or vpaHandle, not both',
      payload: null,
    });
    const badIfsc = await c.api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'Bad',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'HDFC0999999',
    });
    expect(badIfsc.statusCode).toBe(422);
    expect(badIfsc.headers['x-error-code']).toBe('payout_beneficiary_invalid');
    const badPhone = await c.api('POST', '/v0/beneficiary-detail', {
      beneficiaryId: 'B1',
      beneficiaryName: 'Bad',
      vpaHandle: 'a@okhdfc',
      beneficiaryPhone: '12345',
    });
    expect(badPhone.statusCode).toBe(422);
    expect((await c.api('POST', '/v0/beneficiary-detail', { beneficiaryId: 'B1', beneficiaryName: 'Good One', vpaHandle: 'Good@OkHdfc' })).statusCode).toBe(
      200,
    );
    expect(
      (
        await c.api('POST', '/v0/beneficiary-detail', {
          beneficiaryId: 'B2',
          beneficiaryName: 'Second',
          beneficiaryAccountNumber: '100000000001',
          beneficiaryIfsc: 'HDFC0000001',
        })
      ).statusCode,
    ).toBe(200);
    const dup = await c.api('POST', '/v0/beneficiary-detail', { beneficiaryId: 'B1', beneficiaryName: 'Again', vpaHandle: 'bb@okhdfc' });
    expect(dup.statusCode).toBe(409);

    const search = (await c.api('POST', '/v0/beneficiary-detail/search', { beneficiaryName: 'GOOD' })).json();
    expect(search).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        content: [expect.objectContaining({ beneficiaryId: 'B1', vpaHandle: 'good@okhdfc', createdOn: START.toISOString() })],
        totalElements: 1,
        totalPages: 1,
        size: 20,
        number: 0,
        offset: 0,
      },
    });
    // Another company sees none of it.
    const other = await newCompany(t, 'Someone else');
    expect((await other.api('POST', '/v0/beneficiary-detail/search', {})).json().payload.totalElements).toBe(0);
    const foreign = await other.api('DELETE', '/v0/beneficiary-detail/B1');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ response_code: 404, response_message: 'No beneficiary B1', payload: null });
    expect((await other.api('POST', '/v0/payout-transaction', { transactionId: 'X1', beneficiaryId: 'B1', transferAmount: 10 }, idem())).json()).toMatchObject({
      payload: { statusCode: 'REJECT_BENEF_ID' },
    });

    const deleted = await c.api('DELETE', '/v0/beneficiary-detail/B1');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().payload).toMatchObject({ beneficiaryId: 'B1', deletedOn: START.toISOString() });
    expect((await c.api('DELETE', '/v0/beneficiary-detail/B1')).statusCode).toBe(404);
    expect((await c.api('POST', '/v0/payout-transaction', { transactionId: 'X1', beneficiaryId: 'B1', transferAmount: 10 }, idem())).json()).toMatchObject({
      payload: { statusCode: 'REJECT_BENEF_ID' },
    });
    // The id is free again.
    expect((await c.api('POST', '/v0/beneficiary-detail', { beneficiaryId: 'B1', beneficiaryName: 'Reborn', vpaHandle: 'cc@okhdfc' })).statusCode).toBe(200);
  });

  it('source bank accounts, and add funds only for sandbox companies', async () => {
    const c = await newCompany(t, 'Source accounts');
    const added = await c.api('POST', '/v0/payout-account', {
      accountNumber: '500100200300',
      ifsc: 'icic0000001',
      accountHolderName: 'Source Accounts Pvt Ltd',
    });
    expect(added.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        accountNumber: '500100200300',
        ifsc: 'ICIC0000001',
        accountHolderName: 'Source Accounts Pvt Ltd',
        bankName: 'ICICI Bank',
        createdOn: START.toISOString(),
      },
    });
    expect((await c.api('POST', '/v0/payout-account', { accountNumber: '500100200300', ifsc: 'ICIC0000001', accountHolderName: 'Again' })).statusCode).toBe(
      409,
    );
    const account = (await c.api('GET', '/v0/payout-account')).json().payload;
    expect(account).toEqual({
      companyId: c.companyId,
      fundSourceId: `FS${c.companyId}`,
      accountName: 'EnKash Payout Nodal Account',
      accountNumber: `ENKASH${c.companyId}`,
      ifsc: 'YESB0CMSNOC',
      bankName: 'YES Bank',
      sourceBankAccounts: [added.json().payload],
    });
    expect((await c.api('POST', '/v0/payout-account/add-funds', { amount: 10, sourceAccountNumber: '111111111' }, idem())).statusCode).toBe(422);
    expect((await c.api('POST', '/v0/payout-account/add-funds', { amount: 10 })).statusCode).toBe(400); // Idempotency-Key required
    expect((await c.api('POST', '/v0/payout-account/add-funds', { amount: 10, sourceAccountNumber: '500100200300' }, idem())).json().payload).toMatchObject({
      amount: 10,
      sourceAccountNumber: '500100200300',
    });
    await t.services.identity.setSandboxMode(c.companyId, false);
    const live = await c.api('POST', '/v0/payout-account/add-funds', { amount: 10 }, idem());
    expect(live.statusCode).toBe(403);
    expect(live.headers['x-error-code']).toBe('sandbox_only');
  });

  it('drives the whole payout flow AES-encrypted with the key derived from the client secret (§1.5)', async () => {
    const c = await newCompany(t, 'Encrypted payouts', { payloadEncryption: 'required' });
    const key = createHash('sha256').update(c.secret, 'utf8').digest().subarray(0, 16);
    expect(key.equals(derivePayloadKey(c.secret))).toBe(true);
    const call = async (method: 'GET' | 'POST', url: string, body?: object, headers: Record<string, string> = {}) => {
      const res = await c.api(method, url, body === undefined ? undefined : { request: encryptPayload(key, JSON.stringify(body)) }, headers);
      expect(res.statusCode, res.body).toBe(200);
      const wrapped = res.json() as { request: string };
      expect(Object.keys(wrapped)).toEqual(['request']);
      return JSON.parse(decryptPayload(key, wrapped.request)!) as { response_code: number; payload: Record<string, unknown> };
    };
    // Plain JSON is refused when the client requires encryption.
    const plain = await c.api('POST', '/v0/beneficiary-detail', { beneficiaryId: 'E1', beneficiaryName: 'Enc', vpaHandle: 'success@enkash' });
    expect(plain.statusCode).toBe(422);
    expect((await call('POST', '/v0/payout-account/add-funds', { amount: 500 }, idem())).payload).toMatchObject({ status: 'CREDITED' });
    expect((await call('POST', '/v0/beneficiary-detail', { beneficiaryId: 'E1', beneficiaryName: 'Enc', vpaHandle: 'success@enkash' })).payload).toMatchObject({
      beneficiaryId: 'E1',
    });
    expect(
      (await call('POST', '/v0/payout-transaction', { transactionId: 'ENC-1', beneficiaryId: 'E1', transferAmount: 120, transferMode: 'UPI' }, idem())).payload,
    ).toMatchObject({ transferStatus: 'SUCCESS' });
    expect(
      (
        await call(
          'POST',
          '/v0/payout-transaction/batch',
          { batchTransactionId: 'ENC-B', transfers: [{ transactionId: 'ENC-2', beneficiaryId: 'E1', transferAmount: 30, transferMode: 'UPI' }] },
          idem(),
        )
      ).payload,
    ).toMatchObject({ transfers: [{ transferStatus: 'PENDING' }] });
    await t.services.timers.advance(c.companyId, START);
    const found = await call('POST', '/v0/payout-transaction/search', { batchTransactionId: 'ENC-B' });
    expect(found.payload).toMatchObject({ content: [{ transactionId: 'ENC-2', transferStatus: 'SUCCESS' }] });
    expect((await call('GET', '/v0/payout-account/balance')).payload).toMatchObject({ balance: 350 });
    expect((await call('POST', '/v0/payout-account/statement', { fromDate: '2026-11-27', toDate: '2026-11-27' })).payload).toMatchObject({
      totalElements: 3,
      closingBalance: 350,
    });
    expect((await t.services.ledger.verify(t.database.db, { companyId: c.companyId })).breaks).toEqual([]);
  });

  it('needs scope write for writes', async () => {
    const company = await t.services.identity.createCompany({ name: 'Read only' });
    const { secret } = await t.services.identity.createClient({ companyId: company.id, grantTypes: ['password'], scopes: ['read'] });
    await t.services.identity.createUser({ companyId: company.id, username: 'readonly@example.com', password: 'Payouts@12345' });
    const token = (
      await postForm(t.app, '/oauth/token', { username: 'readonly@example.com', password: 'Payouts@12345', grant_type: 'password' }, basic(company.id, secret))
    ).json().access_token as string;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await t.app.inject({ method: 'GET', url: '/api/v0/payout-account/balance', headers })).statusCode).toBe(200);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v0/beneficiary-detail',
      headers,
      payload: JSON.stringify({ beneficiaryId: 'X', beneficiaryName: 'X', vpaHandle: 'x@ok' }),
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ error: 'access_denied', error_description: 'Access is denied' });
  });
});
