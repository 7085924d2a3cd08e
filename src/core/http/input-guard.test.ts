import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables, listTables, tableChecksums, type TableInfo } from '../../../test/support/db-snapshot.js';
import { backend, createTestApp, type TestApp } from '../../../test/support/app.js';
import { gatewayHeaders } from '../../../test/support/gateway.js';
import { seedBearer, seedPasswordGrant } from '../../../test/support/oauth.js';
import { SANDBOX } from '../../auth/seed.js';
import { decryptPayload, derivePayloadKey, encryptPayload } from '../crypto/payload-cipher.js';
import { holdsCardNumber, unacceptableField } from './input-guard.js';

// Values no route accepts, refused at the edge. PostgreSQL's text and jsonb refuse U+0000
// (SQLSTATE 22021 / 22P05): the fuzz suite found Search Beneficiary with a NUL beneficiaryId and
// Get utility bill status at /api/v2/utilityPayment/%00 answering 500. It then found Search
// Beneficiary with `"offset": "1e309"` answering 500 (schema coercion makes it Infinity, which
// passes `integer` and `maximum`): refused by the finite-numbers guard (./finite-numbers.ts), which
// the flow test below checks on that route. The card-data scan found a card number typed into a
// refund's remarks stored and echoed in events: free text with a card number is refused.

describe('unacceptableField', () => {
  const nul = (field: string) => ({ field, problem: 'nul' });
  it('names the first string or key holding a NUL, by its path from the root', () => {
    expect(unacceptableField('body', { a: 'x', b: { c: ['ok', 'n\u0000'] } })).toEqual(nul('body.b.c.1'));
    expect(unacceptableField('body', { first: '\u0000', second: '\u0000' })).toEqual(nul('body.first'));
    expect(unacceptableField('body', { headers: { 'x-\u0000': 'v' } })).toEqual(nul('body.headers.x-\\u0000'));
    expect(unacceptableField('body', '\u0000')).toEqual(nul('body'));
    expect(unacceptableField('query', { q: 'plain', n: 5, big: 1e21, t: true, z: null })).toBeNull();
    expect(unacceptableField('body', undefined)).toBeNull();
  });

  it('finds a card number in free text (remarks, descriptions, custom parameters), with or without separators, and nowhere else', () => {
    expect(holdsCardNumber('refund for card 4111 1111 1111 1111, thanks')).toBe(true);
    expect(holdsCardNumber('amex 3782-822463-10005')).toBe(true);
    expect(holdsCardNumber('invoice 4111111111111112')).toBe(false); // fails Luhn
    expect(holdsCardNumber('order 1767225600000 paid')).toBe(false); // no card network starts with 1
    expect(holdsCardNumber('UTR 600105923770')).toBe(false); // 12 digits
    expect(unacceptableField('body', { remarks: 'card 4111111111111111' })).toEqual({ field: 'body.remarks', problem: 'card_number' });
    expect(unacceptableField('body', { customParameters: { cart: '5555555555554444' } })).toEqual({
      field: 'body.customParameters.cart',
      problem: 'card_number',
    });
    expect(unacceptableField('body', { cardNumber: '4111111111111111', reference: '4111111111111111' })).toBeNull();
  });

  it('walks a 100,000-deep body without exhausting the stack', () => {
    let deep: unknown = { leaf: 'a\u0000b' };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unacceptableField('body', deep)?.field).toMatch(/^body(\.0){100000}\.leaf$/);
  });
});

describe(`NUL characters and card numbers in free text are refused at the edge of every route on ${backend}`, () => {
  let t: TestApp;
  let bearer: string;
  let tables: TableInfo[];

  beforeAll(async () => {
    t = await createTestApp({
      background: { workers: false, timerPollMs: null },
      registerApiRoutes: (api) => {
        api.post(
          '/v0/test/nul/:ref',
          { config: { scope: 'write', payloadEncryption: true }, schema: { params: { type: 'object', properties: { ref: { type: 'string' } } } } },
          async (request) => ({ response_code: 0, response_message: 'SUCCESS', payload: { params: request.params, query: request.query, body: request.body } }),
        );
      },
    });
    bearer = await seedBearer(t.app);
    tables = await listTables(t.database);
  });
  afterAll(async () => t.close());

  const expectRefusal = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, message: string) => {
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-error-code']).toBe('nul_character');
    expect(res.json()).toEqual({ response_code: 400, response_message: message, payload: null });
  };

  it('GET /api/v2/utilityPayment/%00 answers 400 nul_character instead of a 500', async () => {
    for (const version of ['v2', 'v0']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/${version}/utilityPayment/%00`, headers: { authorization: bearer } });
      expectRefusal(res, 'Invalid path parameter utilityEnkashId: must not contain a NUL character (U+0000)');
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/utilityPayment/reference/ab%00cd', headers: { authorization: bearer } });
    expectRefusal(res, 'Invalid path parameter referenceId: must not contain a NUL character (U+0000)');
  });

  it('Search Beneficiary with a NUL beneficiaryId answers 400 nul_character instead of a 500, and a clean search still answers', async () => {
    const search = (body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v0/beneficiary-detail/search', headers: { authorization: bearer }, payload: body });
    expectRefusal(await search({ beneficiaryId: '\u0000' }), 'Invalid field beneficiaryId: must not contain a NUL character (U+0000)');
    expectRefusal(await search({ beneficiaryName: 'Asha\u0000' }), 'Invalid field beneficiaryName: must not contain a NUL character (U+0000)');
    const clean = await search({ beneficiaryId: 'nobody' });
    expect(clean.statusCode, clean.body).toBe(200);
    expect(clean.json()).toMatchObject({ response_code: 0, payload: { content: [], totalElements: 0 } });
  });

  it('Search Beneficiary with "offset": "1e309" (coerced to Infinity) answers 4xx instead of a 500', async () => {
    const search = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v0/beneficiary-detail/search',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        payload,
      });
    for (const offset of ['"1e309"', '"-1e309"']) {
      // A payouts route: its field errors are EnKash's 422 (docs/api/payouts.md); the string is not a plain decimal.
      const res = await search(`{"offset":${offset},"limit":20}`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['x-error-code']).toBe('payout_invalid_field');
      expect(res.json()).toEqual({
        response_code: 422,
        response_message: 'Please provide a valid offset: must be a JSON number or a plain decimal string',
        payload: null,
      });
    }
    const limit = await t.app.inject({ method: 'GET', url: '/api/v0/events?limit=1e309', headers: { authorization: bearer } });
    expect(limit.statusCode, limit.body).toBe(400);
    expect(limit.json()).toMatchObject({ response_code: 400, payload: null });
  });

  it('names path, query and nested body fields, and a key holding a NUL', async () => {
    const call = (url: string, payload: unknown) =>
      t.app.inject({ method: 'POST', url, headers: { authorization: bearer, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expectRefusal(await call('/api/v0/test/nul/a%00', {}), 'Invalid path parameter ref: must not contain a NUL character (U+0000)');
    expectRefusal(await call('/api/v0/test/nul/a?filter=x%00y', {}), 'Invalid query parameter filter: must not contain a NUL character (U+0000)');
    expectRefusal(
      await call('/api/v0/test/nul/a', { payer: { vpas: ['ok@upi', 'bad\u0000@upi'] } }),
      'Invalid field payer.vpas.1: must not contain a NUL character (U+0000)',
    );
    expectRefusal(
      await call('/api/v0/test/nul/a', { headers: { 'x-\u0000': 'v' } }),
      'Invalid field headers.x-\\u0000: must not contain a NUL character (U+0000)',
    );
    const ok = await call('/api/v0/test/nul/a?filter=x', { note: 'no nul \\u0000 as text is fine' });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('refuses a card number in a free-text field without repeating it, and takes it in other fields', async () => {
    const call = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v0/test/nul/a',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    const refused = await call({ remarks: 'card 4111 1111 1111 1111' });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['x-error-code']).toBe('card_number_in_text');
    expect(refused.json()).toEqual({
      response_code: 400,
      response_message: 'Invalid field remarks: looks like a card number; card numbers are accepted only in card fields',
      payload: null,
    });
    expect((await call({ reference: '4111111111111111', remarks: 'order 1767225600000' })).statusCode).toBe(200);
    // A real route: the order's description and custom parameters reach events and webhooks as typed.
    const merchant = await gatewayHeaders(t.app);
    const order = (body: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v0/orders',
        headers: merchant,
        payload: { orderId: `pan-${Object.keys(body).join('-')}`, amount: { value: 10, currency: 'INR' }, ...body },
      });
    for (const body of [{ description: 'pay with 5555555555554444' }, { customParameters: { note: '378282246310005' } }]) {
      const res = await order(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['x-error-code']).toBe('card_number_in_text');
      expect(res.body).not.toMatch(/5555555555554444|378282246310005/);
    }
  });

  it('looks inside an AES-wrapped body, after it is decrypted', async () => {
    const request = encryptPayload(derivePayloadKey(SANDBOX.clientSecret), JSON.stringify({ beneficiaryId: 'ab\u0000' }));
    const key = derivePayloadKey(SANDBOX.clientSecret);
    const res = await t.app.inject({ method: 'POST', url: '/api/v0/test/nul/a', headers: { authorization: bearer }, payload: { request } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-error-code']).toBe('nul_character');
    // The answer to a wrapped request is wrapped, errors included (ADR 0036).
    expect(JSON.parse(decryptPayload(key, (res.json() as { request: string }).request)!)).toEqual({
      response_code: 400,
      response_message: 'Invalid field beneficiaryId: must not contain a NUL character (U+0000)',
      payload: null,
    });
  });

  it('stores nothing for a refused request, not even its Idempotency-Key', async () => {
    const before = await tableChecksums(t.database, tables);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/payout-account/add-funds',
      headers: { authorization: bearer, 'idempotency-key': 'nul-refused-1' },
      payload: { amount: 100, reference: 'load\u0000' },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['x-error-code']).toBe('nul_character');
    expect(changedTables(before, await tableChecksums(t.database, tables))).toEqual([]);
  });

  it('answers in the family of the route: Spring OAuth2 under /oauth, the token shape at /api/v0/merchant/token', async () => {
    const grant = await seedPasswordGrant(t.app, { username: `${SANDBOX.username}\u0000` });
    expect(grant.statusCode).toBe(400);
    expect(grant.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid field username: must not contain a NUL character (U+0000)' });
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v0/merchant/token',
      payload: { accessKey: `${SANDBOX.merchantAccessKey}\u0000`, secretKey: SANDBOX.merchantSecretKey },
    });
    expect(token.statusCode).toBe(400);
    expect(token.headers['x-error-code']).toBe('nul_character');
    expect(token.json()).toEqual({
      token: null,
      expiry: null,
      resultCode: 400,
      resultMessage: 'Invalid field accessKey: must not contain a NUL character (U+0000)',
    });
  });
});
