import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_CACHE_MS } from '../../src/auth/merchant/service.js';
import { SANDBOX } from '../../src/auth/seed.js';
import { SETTINGS_CACHE_MS } from '../../src/products/gateway/settings/service.js';
import { createTestApp, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders, merchantToken } from '../support/gateway.js';
import { seedBearer } from '../support/oauth.js';

// Reference §1.2(a): the Payment Gateway's merchant token, the guard of gateway routes, and the
// company's gateway settings with "Payment Modes Details".

const DAY_MS = 86_400_000;

describe('merchant token and gateway guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const token = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v0/merchant/token', headers, payload: body as object });
  const modes = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v0/merchant/payment-modes', headers });

  it('issues a token for the seeded sandbox keys with its expiry in epoch milliseconds', async () => {
    const res = await token({ accessKey: 'sandbox_access_CEK1GZBO6A', secretKey: 'sandbox_secret_64b0ff0332f058b5' }, { 'API-Key': 'ignored' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiry: t.clock.now().getTime() + DAY_MS,
      resultCode: 200,
      resultMessage: 'Token generated successfully.',
    });
  });

  it('refuses wrong credentials and bad bodies in the token shape, with the HTTP status in resultCode', async () => {
    for (const body of [
      { accessKey: SANDBOX.merchantAccessKey, secretKey: 'sandbox_secret_wrong' },
      { accessKey: 'sandbox_access_UNKNOWN', secretKey: SANDBOX.merchantSecretKey },
    ]) {
      const res = await token(body);
      expect(res.statusCode).toBe(401);
      expect(res.headers['x-error-code']).toBe('merchant_credentials_invalid');
      expect(res.json()).toEqual({ token: null, expiry: null, resultCode: 401, resultMessage: 'Invalid accessKey or secretKey' });
    }
    const missing = await token({ accessKey: SANDBOX.merchantAccessKey });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ token: null, expiry: null, resultCode: 400, resultMessage: 'Missing required field secretKey' });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v0/merchant/token',
      headers: { 'content-type': 'application/json' },
      payload: '{"accessKey":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ token: null, resultCode: 400 });
  });

  it('lets a gateway route in with the token and its merchantAccessKey, and answers Payment Modes Details', async () => {
    const res = await modes(await gatewayHeaders(t.app));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        merchantName: 'Tijori Sandbox Company',
        paymentModes: ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD', 'NET_BANKING', 'UPI', 'WALLET', 'PAY_LATER'].map((paymentMode) => ({
          paymentMode,
          enabled: true,
        })),
        anyPaymentModeActive: true,
        upi: true,
        upiQrCodeEnabled: true,
        upiVpaEnabled: true,
        creditCard: true,
        debitCard: true,
        prepaidCard: true,
        corporateCard: true,
        netBanking: true,
        wallet: true,
        payLater: true,
        cardSchemesSupported: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'],
        netBankingList: t.services.rails.netbanking.banks(),
        walletList: t.services.rails.wallet.providers('WALLET'),
        payLaterList: t.services.rails.wallet.providers('PAY_LATER'),
        upiCollectTimeout: 5,
        surchargeGst: 18,
        surcharges: {},
      },
    });
    expect(body.payload.netBankingList).toContainEqual({ code: 'HDFC', name: 'HDFC Bank' });
    expect(body.payload.payLaterList).toContainEqual({ code: 'SIMPL', name: 'Simpl' });
  });

  it('refuses a gateway call without merchantAccessKey, with an OAuth token, with another key or a bad token', async () => {
    const merchant = await merchantToken(t.app);
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ authorization: `Bearer ${merchant}` }, 'merchant_access_key_missing', 'Missing required header merchantAccessKey'],
      [{ authorization: await seedBearer(t.app) }, 'merchant_access_key_missing', 'Missing required header merchantAccessKey'],
      [
        { authorization: `Bearer ${merchant}`, merchantaccesskey: 'sandbox_access_OTHER' },
        'merchant_token_invalid',
        'merchantAccessKey does not match the token',
      ],
      [{ authorization: 'Bearer not-a-token', merchantaccesskey: SANDBOX.merchantAccessKey }, 'merchant_token_invalid', 'Invalid or expired token'],
      [{ merchantaccesskey: SANDBOX.merchantAccessKey }, 'merchant_token_invalid', 'Missing required header Authorization: Bearer <token>'],
    ];
    for (const [headers, code, message] of cases) {
      const res = await modes(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['x-error-code']).toBe(code);
      expect(res.json()).toEqual({ response_code: 401, response_message: message, payload: null });
    }
  });

  it('also lets a merchant token use the platform routes (sandbox clock), while OAuth tokens keep working there', async () => {
    const merchant = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/clock', headers: await gatewayHeaders(t.app) });
    expect(merchant.statusCode).toBe(200);
    expect(merchant.json().payload.companyId).toBe(SANDBOX.companyId);
    const oauth = await t.app.inject({ method: 'GET', url: '/api/v0/sandbox/clock', headers: { authorization: await seedBearer(t.app) } });
    expect(oauth.statusCode, oauth.body).toBe(200);
  });

  it('refuses a merchant token on the OAuth products that move the company’s money (payouts, bill payments)', async () => {
    const headers = await gatewayHeaders(t.app);
    for (const [method, url] of [
      ['GET', '/api/v0/payout-account/balance'],
      ['POST', '/api/v0/beneficiary-detail'],
      ['GET', '/api/v0/biller/types'],
      ['PUT', '/api/v0/utilityPayment/status'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers, ...(method === 'GET' ? {} : { payload: {} }) });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['x-error-code']).toBe('merchant_token_not_accepted');
      expect(res.json()).toEqual({
        response_code: 401,
        response_message: 'This API takes an OAuth access token (POST /oauth/token); merchant tokens are for the Payment Gateway',
        payload: null,
      });
    }
    const oauth = await t.app.inject({ method: 'GET', url: '/api/v0/payout-account/balance', headers: { authorization: await seedBearer(t.app) } });
    expect(oauth.statusCode).toBe(200);
  });

  it('expires a token after its lifetime and stops a revoked key’s tokens at once', async () => {
    const headers = await gatewayHeaders(t.app);
    expect((await modes(headers)).statusCode).toBe(200);
    t.clock.advance(DAY_MS);
    const expired = await modes(headers);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().response_message).toBe('Invalid or expired token');

    const { key, secretKey } = await t.services.merchant.createKey(SANDBOX.companyId);
    const second = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
    expect((await modes(second)).statusCode).toBe(200);
    await t.services.merchant.revokeKey(key.accessKey);
    expect((await modes(second)).statusCode).toBe(401);
    const again = await token({ accessKey: key.accessKey, secretKey });
    expect(again.statusCode).toBe(401);
  });

  it('a revocation made by another process (straight in the database) stops the key’s checked tokens within TOKEN_CACHE_MS', async () => {
    const { key, secretKey } = await t.services.merchant.createKey(SANDBOX.companyId);
    const headers = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
    expect((await modes(headers)).statusCode).toBe(200);
    // What `tijori merchant-key revoke` does from its own process: this process's cache is not told.
    await queryRows(t.database, sql`update merchant_access_keys set status = 'REVOKED', revoked_at = now() where access_key = ${key.accessKey}`);
    await queryRows(
      t.database,
      sql`delete from merchant_tokens where access_key_id = (select id from merchant_access_keys where access_key = ${key.accessKey})`,
    );
    expect((await modes(headers)).statusCode).toBe(200);
    t.clock.advance(TOKEN_CACHE_MS);
    const refused = await modes(headers);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().response_message).toBe('Invalid or expired token');
  });

  it('stores neither the secret key nor the token in clear', async () => {
    const issued = await merchantToken(t.app);
    const dump = JSON.stringify(
      await queryRows(t.database, sql`select k.*, m.* from merchant_access_keys k left join merchant_tokens m on m.access_key_id = k.id`),
    );
    expect(dump).not.toContain(SANDBOX.merchantSecretKey);
    expect(dump).not.toContain(issued);
    expect(await t.services.merchant.secretFor(SANDBOX.companyId, SANDBOX.merchantAccessKey)).toBe(SANDBOX.merchantSecretKey);
    await expect(t.services.merchant.secretFor('CEK0000000', SANDBOX.merchantAccessKey)).rejects.toMatchObject({ code: 'merchant_key_not_found' });
  });
});

describe('gateway settings', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    headers = await gatewayHeaders(t.app);
  });
  afterAll(async () => t.close());

  const patch = (body: object, h = headers) => t.app.inject({ method: 'PATCH', url: '/api/v0/merchant/settings', headers: h, payload: body });
  const read = (h = headers) => t.app.inject({ method: 'GET', url: '/api/v0/merchant/settings', headers: h });

  it('answers the defaults until a change, then the change; Payment Modes Details follows', async () => {
    const before = await read();
    expect(before.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        companyId: SANDBOX.companyId,
        merchantName: 'Tijori Sandbox Company',
        enabledModes: ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD', 'NET_BANKING', 'UPI', 'WALLET', 'PAY_LATER'],
        feeRules: {},
        surchargeGstPercent: 18,
        mdrRates: { CREDIT_CARD: 1.8, DEBIT_CARD: 0.4, PREPAID_CARD: 1.8, CORPORATE_CARD: 2.5, NET_BANKING: 1.5, UPI: 0, WALLET: 1.9, PAY_LATER: 2 },
        mdrGstPercent: 18,
        settlementDelayDays: 1,
        maxPaymentAttempts: 5,
        orderExpiryMinutes: 30,
        upiCollectTimeoutMinutes: 5,
        settlementAccount: { accountNumber: '100000000001', ifsc: 'HDFC0000001' },
        checkoutOrigins: null,
      },
    });
    const changed = await patch({
      merchantName: 'Acme Store',
      enabledModes: ['UPI', 'CREDIT_CARD'],
      feeRules: { SC_CC_DEFAULT: 10, CF_UP_DEFAULT: 2.5, SC_CC_AMEX: 15.75 },
      mdrRates: { CREDIT_CARD: 2.05 },
      settlementDelayDays: 2,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().payload).toMatchObject({
      merchantName: 'Acme Store',
      enabledModes: ['UPI', 'CREDIT_CARD'],
      feeRules: { SC_CC_DEFAULT: 10, CF_UP_DEFAULT: 2.5, SC_CC_AMEX: 15.75 },
      mdrRates: { CREDIT_CARD: 2.05, DEBIT_CARD: 0.4 },
      settlementDelayDays: 2,
      maxPaymentAttempts: 5,
    });
    expect((await read()).json()).toEqual(changed.json());
    const settings = await t.services.gatewaySettings.get(t.database.db, SANDBOX.companyId);
    expect(settings.feeRules).toEqual({ SC_CC_DEFAULT: 1000n, CF_UP_DEFAULT: 250n, SC_CC_AMEX: 1575n });
    expect(settings.mdrBasisPoints.CREDIT_CARD).toBe(205);

    const details = (await t.app.inject({ method: 'GET', url: '/api/v0/merchant/payment-modes', headers })).json().payload;
    expect(details).toMatchObject({
      merchantName: 'Acme Store',
      upi: true,
      creditCard: true,
      debitCard: false,
      netBanking: false,
      netBankingList: [],
      walletList: [],
      surcharges: { SC_CC_DEFAULT: 10, CF_UP_DEFAULT: 2.5, SC_CC_AMEX: 15.75 },
    });

    const reset = await patch({ merchantName: null });
    expect(reset.json().payload.merchantName).toBe('Tijori Sandbox Company');
  });

  it('refuses bad settings with a message naming the field and changes nothing', async () => {
    const before = (await read()).body;
    const cases: Array<[object, string]> = [
      [{ enabledModes: ['UPI', 'CASH'] }, 'Invalid field enabledModes: unknown payment mode CASH'],
      [{ enabledModes: ['UPI', 'UPI'] }, 'Invalid field enabledModes: a mode is listed twice'],
      [{ enabledModes: [] }, 'Invalid field enabledModes: must NOT have fewer than 1 items'],
      [
        { feeRules: { SURCHARGE: 1 } },
        'Invalid field feeRules.SURCHARGE: keys are SC_|CF_|PF_ + UP|WA|NB|CC|DC|PC|BC + _DEFAULT or a bank, wallet or card-scheme code',
      ],
      [{ feeRules: { SC_CC_DEFAULT: 1.005 } }, 'feeRules.SC_CC_DEFAULT'],
      [{ mdrRates: { CREDIT_CARD: 1.234 } }, 'Invalid field mdrRates.CREDIT_CARD: a percent from 0 to 100 with at most two decimals'],
      [{ mdrRates: { CASH: 1 } }, 'Invalid field mdrRates.CASH: unknown payment mode'],
      [{ settlementDelayDays: 31 }, 'Invalid field settlementDelayDays: must be <= 30'],
      [{ maxPaymentAttempts: 0 }, 'Invalid field maxPaymentAttempts: must be >= 1'],
      [{ settlementAccount: { accountNumber: '12', ifsc: 'HDFC0000001' } }, 'Invalid field settlementAccount.accountNumber'],
      [{ settlementAccount: { accountNumber: '100000000001', ifsc: 'hdfc1' } }, 'Invalid field settlementAccount.ifsc'],
    ];
    for (const [body, message] of cases) {
      const res = await patch(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().response_message).toContain(message);
      expect(res.json().payload).toBeNull();
    }
    expect((await read()).body).toBe(before);
  });

  it('keeps each company’s settings to itself', async () => {
    const other = await t.services.identity.createCompany({ name: 'Other Co' });
    const { key, secretKey } = await t.services.merchant.createKey(other.id);
    const otherHeaders = { authorization: `Bearer ${await merchantToken(t.app, key.accessKey, secretKey)}`, merchantaccesskey: key.accessKey };
    await patch({ settlementDelayDays: 3 }, otherHeaders);
    expect((await read(otherHeaders)).json().payload).toMatchObject({ companyId: other.id, merchantName: 'Other Co', settlementDelayDays: 3 });
    expect((await read()).json().payload.settlementDelayDays).toBe(2);
  });

  it('a settings change by another server (straight in the database) is seen within SETTINGS_CACHE_MS; one through this server at once', async () => {
    const settings = t.services.gatewaySettings;
    const before = await settings.get(t.database.db, SANDBOX.companyId);
    await queryRows(
      t.database,
      sql`update gateway_settings set settlement_delay_days = ${before.settlementDelayDays + 1} where company_id = ${SANDBOX.companyId}`,
    );
    expect((await settings.get(t.database.db, SANDBOX.companyId)).settlementDelayDays).toBe(before.settlementDelayDays);
    t.clock.advance(SETTINGS_CACHE_MS);
    expect((await settings.get(t.database.db, SANDBOX.companyId)).settlementDelayDays).toBe(before.settlementDelayDays + 1);
    await settings.update(SANDBOX.companyId, { settlementDelayDays: before.settlementDelayDays });
    expect((await settings.get(t.database.db, SANDBOX.companyId)).settlementDelayDays).toBe(before.settlementDelayDays);
    // What a caller is given is frozen: changing it throws and changes nothing kept.
    const given = await settings.get(t.database.db, SANDBOX.companyId);
    expect(() => {
      (given.enabledModes as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect((await settings.get(t.database.db, SANDBOX.companyId)).enabledModes).toEqual(before.enabledModes);
  });
});
