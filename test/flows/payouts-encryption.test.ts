import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/engine.js';
import { queryRows } from '../../src/core/db/transaction.js';
import { decryptPayload, derivePayloadKey, encryptPayload } from '../../src/core/crypto/payload-cipher.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { runInProcess } from '../support/cli.js';
import { basic, form } from '../support/oauth.js';
import { START } from '../support/payouts.js';
import { cleanup, tempDir } from '../support/process.js';

/**
 * Issue 15, "Payouts (§3)": a payouts client written from EnKash's documents, over real HTTP. It
 * encrypts every request body and decrypts every answer (reference §1.5), successes, errors and
 * GETs alike, on a client in `required` mode, which is what a client made by an operator gets.
 */

interface Answer {
  status: number;
  headers: Headers;
  /** The decrypted envelope. */
  body: { response_code: number; response_message: string; payload: unknown };
}

describe(`an EnKash payouts client that encrypts everything (${backend})`, () => {
  let t: TestApp;
  let base = '';
  let companyId = '';
  let key: Buffer;
  let bearer = '';
  let keys = 0;

  /** One call as the client makes it: `{"request": AES(JSON)}` out, `{"request": …}` back, decrypted. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        authorization: bearer,
        'user-agent': 'enkash-payouts-client/1.0',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify({ request: encryptPayload(key, JSON.stringify(body)) }) }),
    });
    const wrapped = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(wrapped), `${method} ${path} answered ${res.status} in plain: ${JSON.stringify(wrapped)}`).toEqual(['request']);
    const plain = decryptPayload(key, wrapped['request'] as string);
    expect(plain, `${method} ${path}: the answer does not decrypt under the client's key`).not.toBeNull();
    return { status: res.status, headers: res.headers, body: JSON.parse(plain!) as Answer['body'] };
  }
  const idem = () => ({ 'idempotency-key': `enc-${process.pid}-${++keys}` });
  const refusal = (status: number, message: string | RegExp) => ({
    response_code: status,
    response_message: typeof message === 'string' ? message : expect.stringMatching(message),
    payload: null,
  });

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const company = await t.services.identity.createCompany({ name: 'Encrypting Payouts Pvt Ltd' });
    companyId = company.id;
    // No mode chosen: a new client is `required`.
    const { client, secret } = await t.services.identity.createClient({ companyId, grantTypes: ['password', 'refresh_token'] });
    expect(client.payloadEncryption).toBe('required');
    key = derivePayloadKey(secret);
    await t.services.identity.createUser({ companyId, username: 'treasury@encrypting.example', password: 'Payouts@12345' });
    await t.services.clocks.moveForwardTo(companyId, START);
    // "Encryption and decryption are not required when using the Get Authentication API" (reference §1.2(b)).
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(companyId, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ username: 'treasury@encrypting.example', password: 'Payouts@12345', grant_type: 'password', clientId: companyId }),
    });
    expect(token.status).toBe(200);
    bearer = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
  });
  afterAll(async () => t?.close());

  it('refuses a plain request as EnKash does (422 "Invalid encrypted request", in plain) and records nothing', async () => {
    const plain = await fetch(`${base}/api/v0/beneficiary-detail`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ beneficiaryId: 'PLAIN1', beneficiaryName: 'Plain Text', vpaHandle: 'success@enkash' }),
    });
    expect(plain.status).toBe(422);
    expect(plain.headers.get('x-error-code')).toBe('invalid_encrypted_request');
    expect(await plain.json()).toEqual(refusal(422, 'Invalid encrypted request'));
    // Ciphertext under another key is refused the same way.
    const foreign = await fetch(`${base}/api/v0/beneficiary-detail`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ request: encryptPayload(derivePayloadKey('not-the-secret'), '{"beneficiaryId":"PLAIN1"}') }),
    });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toEqual(refusal(422, 'Invalid encrypted request'));
    expect((await call('POST', '/v0/beneficiary-detail/search', { beneficiaryId: 'PLAIN1' })).body.payload).toMatchObject({ totalElements: 0 });
  });

  it('GETs come back encrypted: the balance (with its documented query) and the account', async () => {
    const balance = await call('GET', `/v0/payout-account/balance?fundSourceId=FS${companyId}&debitAccountNumber=`);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ response_code: 0, payload: { balance: 0 } });
    const account = await call('GET', '/v0/payout-account');
    expect(account.body.payload).toMatchObject({ companyId, fundSourceId: `FS${companyId}` });
  });

  it('money calls and their errors: every answer decrypts, 400, 409, 412 and 422 included', async () => {
    const noKey = await call('POST', '/v0/payout-account/add-funds', { amount: 5000 });
    expect(noKey.status).toBe(400);
    expect(noKey.headers.get('x-error-code')).toBe('idempotency_key_missing');
    expect((await call('POST', '/v0/payout-account/add-funds', { amount: 5000 }, idem())).body.payload).toMatchObject({ status: 'CREDITED', amount: 5000 });

    const ben = { beneficiaryId: 'ENC1', beneficiaryName: 'Asha Rao', beneficiaryAccountNumber: '100000000001', beneficiaryIfsc: 'HDFC0000001' };
    expect((await call('POST', '/v0/beneficiary-detail', ben)).body).toMatchObject({ response_code: 0, payload: { beneficiaryId: 'ENC1' } });
    const dup = await call('POST', '/v0/beneficiary-detail', ben);
    expect([dup.status, dup.body]).toEqual([409, refusal(409, 'Beneficiary ENC1 already exists')]);
    const both = await call('POST', '/v0/beneficiary-detail', { ...ben, beneficiaryId: 'ENC2', vpaHandle: 'a@okhdfc' });
    expect(both.status).toBe(412);
    const badIfsc = await call('POST', '/v0/beneficiary-detail', { ...ben, beneficiaryId: 'ENC2', beneficiaryIfsc: 'HDFC0999999' });
    expect([badIfsc.status, badIfsc.headers.get('x-error-code')]).toEqual([422, 'payout_beneficiary_invalid']);
    // A field the schema refuses is EnKash's 422, not 400.
    const missing = await call('POST', '/v0/beneficiary-detail', { beneficiaryId: 'ENC2', vpaHandle: 'b@okhdfc' });
    expect([missing.status, missing.body]).toEqual([422, refusal(422, 'Please provide a valid beneficiaryName: it is required')]);
    expect(missing.headers.get('x-error-code')).toBe('payout_invalid_field');
    const wrongType = await call('POST', '/v0/payout-transaction', { transactionId: 'ENC-T0', beneficiaryId: 'ENC1', transferAmount: 'ten' }, idem());
    expect([wrongType.status, wrongType.body]).toEqual([422, refusal(422, /^Please provide a valid transferAmount: /)]);

    const paid = await call(
      'POST',
      '/v0/payout-transaction',
      { transactionId: 'ENC-T1', beneficiaryId: 'ENC1', transferAmount: 120.5, transferMode: 'IMPS' },
      idem(),
    );
    expect(paid.body).toMatchObject({ response_code: 0, payload: { transactionId: 'ENC-T1', transferStatus: 'SUCCESS' } });
    const again = await call(
      'POST',
      '/v0/payout-transaction',
      { transactionId: 'ENC-T1', beneficiaryId: 'ENC1', transferAmount: 1, transferMode: 'IMPS' },
      idem(),
    );
    expect([again.status, again.body]).toEqual([409, refusal(409, 'transactionId ENC-T1 already exists')]);
    const decimals = await call('POST', '/v0/payout-transaction', { transactionId: 'ENC-T2', beneficiaryId: 'ENC1', transferAmount: 1.005 }, idem());
    expect([decimals.status, decimals.body]).toEqual([422, refusal(422, /^Please provide a valid transferAmount: /)]);
    const batch = await call(
      'POST',
      '/v0/payout-transaction/batch',
      { batchTransactionId: 'ENC-B1', transfers: [{ transactionId: 'ENC-T3', beneficiaryId: 'ENC1', transferAmount: 30, transferMode: 'IMPS' }] },
      idem(),
    );
    expect(batch.body.payload).toMatchObject({ transfers: [{ transactionId: 'ENC-T3', transferStatus: 'PENDING' }] });
    await t.services.timers.advance(companyId, START); // the batch is sent

    const unknown = await call('DELETE', '/v0/beneficiary-detail/NOBODY');
    expect([unknown.status, unknown.body]).toEqual([404, refusal(404, 'No beneficiary NOBODY')]);
    const range = await call('POST', '/v0/payout-account/statement', { fromDate: '2026-11-01', toDate: '2026-12-31' });
    expect([range.status, range.body]).toEqual([422, refusal(422, 'A statement spans at most 31 days')]);
    const statement = await call('POST', '/v0/payout-account/statement', { fromDate: '2026-11-27', toDate: '2026-11-27' });
    expect(statement.body.payload).toMatchObject({ totalElements: 3, closingBalance: 5000 - 120.5 - 30 });
    expect((await call('GET', '/v0/payout-account/balance')).body.payload).toMatchObject({ balance: 5000 - 120.5 - 30 });
    // Nothing refused above moved money.
    expect((await t.services.ledger.verify(t.database.db, { companyId })).breaks).toEqual([]);
  });

  it('the webhook configuration takes and gives encrypted bodies (reference §3 "Webhook")', async () => {
    const saved = await call('POST', '/v0/webhook-data', {
      webhookUrl: 'https://hooks.encrypting.example/payouts',
      headers: { 'x-partner-key': 'static-123' },
      events: ['PAYOUT_SUCCESS', 'PAYOUT_FAILED'],
      enabled: true,
      companyId,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.payload).toMatchObject({ webhookUrl: 'https://hooks.encrypting.example/payouts', secret: expect.any(String) });
    const wrongCompany = await call('POST', '/v0/webhook-data', {
      webhookUrl: 'https://hooks.encrypting.example/x',
      events: ['PAYOUT_SUCCESS'],
      companyId: 'CEK0000000',
    });
    expect([wrongCompany.status, wrongCompany.body]).toEqual([412, refusal(412, 'Invalid Company ID')]);
    const list = await call('GET', '/v0/webhook-data');
    expect(list.body.payload).toEqual([expect.objectContaining({ webhookUrl: 'https://hooks.encrypting.example/payouts' })]);
  });

  it('a clientId header naming another client is 422 "Invalid Client ID"; its own client passes', async () => {
    const other = await call('POST', '/v0/beneficiary-detail/search', {}, { clientId: 'CEK0000000' });
    expect([other.status, other.body]).toEqual([422, refusal(422, 'Invalid Client ID')]);
    expect(other.headers.get('x-error-code')).toBe('payout_invalid_client_id');
    expect((await call('POST', '/v0/beneficiary-detail/search', {}, { clientId: companyId })).status).toBe(200);
  });

  it("the bearer check's refusals keep Spring's plain OAuth2 shape (they come before any decryption)", async () => {
    const res = await fetch(`${base}/api/v0/payout-account/balance`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid access token: not-a-token' });
  });

  it('once the operator sets the client to optional, plain JSON is served again, in plain', async () => {
    await t.services.identity.setPayloadEncryption(companyId, 'optional');
    const res = await fetch(`${base}/api/v0/payout-account/balance`, { headers: { authorization: bearer } });
    expect(await res.json()).toMatchObject({ response_code: 0, payload: { balance: 5000 - 120.5 - 30 } });
    await expect(t.services.identity.setPayloadEncryption(companyId, 'sometimes' as never)).rejects.toMatchObject({ code: 'invalid_identity_input' });
    await expect(t.services.identity.setPayloadEncryption('CEK0000000', 'off')).rejects.toMatchObject({ code: 'company_not_found' });
  });
});

// The operator's side, on the embedded database's pass (the command is the same on PostgreSQL).
if (backend === 'pglite') {
  describe('tijori client create / set-payload-encryption', () => {
    afterAll(cleanup);

    it('a client is created `required` unless --payload-encryption says otherwise; set-payload-encryption changes it', async () => {
      const dataDir = tempDir();
      const cli = (args: string[]) => runInProcess([...args, '--data-dir', dataDir]);
      const created = await cli(['company', 'create', '--name', 'Cli Payouts']);
      const id = /Created company (CEK[A-Z0-9]{7})/.exec(created.stdout)?.[1];
      expect(id, created.stdout + created.stderr).toBeDefined();
      const client = await cli(['client', 'create', '--company', id!]);
      expect(client.code, client.stderr).toBe(0);
      expect(client.stdout).toMatch(/^ {2}payloads +required /m);

      const bad = await cli(['client', 'set-payload-encryption', '--company', id!, '--payload-encryption', 'sometimes']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--payload-encryption must be one of required, optional, off');
      const unknown = await cli(['client', 'set-payload-encryption', '--company', 'CEK0000000', '--payload-encryption', 'off']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('company CEK0000000 has no OAuth client');
      const set = await cli(['client', 'set-payload-encryption', '--company', id!, '--payload-encryption', 'optional']);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain(`Client ${id} now takes AES-wrapped payloads: optional`);

      const other = await cli(['company', 'create', '--name', 'Cli Plain']);
      const plainId = /Created company (CEK[A-Z0-9]{7})/.exec(other.stdout)?.[1];
      expect((await cli(['client', 'create', '--company', plainId!, '--payload-encryption', 'off'])).stdout).toMatch(/^ {2}payloads +off /m);

      const database = await openDatabase({ kind: 'pglite', dataDir });
      try {
        const rows = await queryRows<{ client_id: string; payload_encryption: string }>(
          database.db,
          sql`select client_id, payload_encryption from oauth_clients where client_id in (${id}, ${plainId}) order by payload_encryption`,
        );
        expect(rows).toEqual([
          { client_id: plainId, payload_encryption: 'off' },
          { client_id: id, payload_encryption: 'optional' },
        ]);
      } finally {
        await database.close();
      }
    });
  });
}
