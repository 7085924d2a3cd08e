import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { seedPasswordGrant, basic, postForm } from '../../../test/support/oauth.js';
import { SANDBOX } from '../../auth/seed.js';
import { decryptPayload, derivePayloadKey, encryptPayload } from '../crypto/payload-cipher.js';

/**
 * The §1.5 wrapping as a reusable hook: a route opts in with `config.payloadEncryption` and the
 * client's setting (required | optional | off) decides. The fixture route echoes what it parsed.
 */
describe('AES payload wrapping hook', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const secrets: Record<string, string> = { optional: SANDBOX.clientSecret };

  beforeAll(async () => {
    t = await createTestApp({
      registerApiRoutes: (api) => {
        api.post(
          '/v0/test/echo',
          {
            config: { payloadEncryption: true, scope: 'write' },
            schema: { body: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } },
          },
          async (request) => ({ response_code: 0, response_message: 'SUCCESS', payload: request.body }),
        );
        // A route with a response schema: the wrapping happens after the schema has filtered the fields.
        api.get(
          '/v0/test/balance',
          {
            config: { payloadEncryption: true, scope: 'read' },
            schema: {
              response: {
                200: {
                  type: 'object',
                  properties: {
                    response_code: { type: 'integer' },
                    response_message: { type: 'string' },
                    payload: { type: 'object', properties: { balance: { type: 'number' } } },
                  },
                  required: ['response_code', 'response_message', 'payload'],
                },
              },
            },
          },
          async () => ({ response_code: 0, response_message: 'SUCCESS', payload: { balance: 10.5, internalNote: 'not for the wire' } }),
        );
      },
    });
    tokens['optional'] = (await seedPasswordGrant(t.app)).json().access_token;
    for (const mode of ['required', 'off'] as const) {
      const company = await t.services.identity.createCompany({ name: `Mode ${mode}` });
      const { secret } = await t.services.identity.createClient({ companyId: company.id, payloadEncryption: mode });
      secrets[mode] = secret;
      const res = await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(company.id, secret));
      tokens[mode] = res.json().access_token;
    }
  });
  afterAll(async () => t.close());

  const echo = (mode: string, body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v0/test/echo', headers: { authorization: `Bearer ${tokens[mode]}` }, payload: body as object });

  it('optional: plain JSON passes through unwrapped', async () => {
    const res = await echo('optional', { amount: 12.5 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { amount: 12.5 } });
  });

  it('optional: a wrapped request is decrypted, validated, and its response wrapped under "request"', async () => {
    const key = derivePayloadKey(secrets['optional']!);
    const res = await echo('optional', { request: encryptPayload(key, '{"amount":99}') });
    expect(res.statusCode).toBe(200);
    const wrapped = res.json();
    expect(Object.keys(wrapped)).toEqual(['request']);
    expect(JSON.parse(decryptPayload(key, wrapped.request)!)).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { amount: 99 } });
  });

  it('required: a plain body is refused with 422 "Invalid encrypted request"', async () => {
    const res = await echo('required', { amount: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ response_code: 422, response_message: 'Invalid encrypted request', payload: null });
  });

  it('required: ciphertext under another key is refused with 422', async () => {
    const res = await echo('required', { request: encryptPayload(derivePayloadKey('wrong-secret'), '{"amount":1}') });
    expect(res.statusCode).toBe(422);
    expect(res.json().response_message).toBe('Invalid encrypted request');
  });

  it('required: ciphertext of text that is not JSON is refused with 422', async () => {
    const res = await echo('required', { request: encryptPayload(derivePayloadKey(secrets['required']!), 'amount=1') });
    expect(res.statusCode).toBe(422);
  });

  it('required: a wrapped body whose content fails validation gets the validation error, wrapped like any answer', async () => {
    const key = derivePayloadKey(secrets['required']!);
    const res = await echo('required', { request: encryptPayload(key, '{"amount":"x"}') });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-error-code']).toBe('validation_failed');
    const wrapped = res.json();
    expect(Object.keys(wrapped)).toEqual(['request']);
    expect(JSON.parse(decryptPayload(key, wrapped.request)!)).toEqual({
      response_code: 400,
      response_message: 'Invalid field amount: must be a JSON number or a plain decimal string',
      payload: null,
    });
  });

  it('optional: an error answer to a wrapped request is wrapped; to a plain one, plain', async () => {
    const key = derivePayloadKey(secrets['optional']!);
    const wrapped = await echo('optional', { request: encryptPayload(key, '{}') });
    expect(wrapped.statusCode).toBe(400);
    expect(JSON.parse(decryptPayload(key, wrapped.json().request)!)).toMatchObject({ response_message: 'Missing required field amount' });
    const plain = await echo('optional', {});
    expect(plain.json()).toEqual({ response_code: 400, response_message: 'Missing required field amount', payload: null });
  });

  it('a wrapped body holding __proto__ (or constructor.prototype) is refused as the same body in plain JSON is, and nothing reaches the route', async () => {
    const key = derivePayloadKey(secrets['optional']!);
    for (const text of ['{"amount":1,"__proto__":{"isAdmin":true}}', '{"amount":1,"nested":{"constructor":{"prototype":{"x":1}}}}']) {
      const plain = await t.app.inject({
        method: 'POST',
        url: '/api/v0/test/echo',
        headers: { authorization: `Bearer ${tokens['optional']}`, 'content-type': 'application/json' },
        payload: text,
      });
      const wrapped = await echo('optional', { request: encryptPayload(key, text) });
      expect(plain.statusCode, text).toBe(400);
      expect(wrapped.statusCode, text).toBe(400);
      expect(wrapped.json(), text).toEqual(plain.json());
    }
  });

  it('off: a {"request": ...} body is not decrypted (and so fails the route schema)', async () => {
    const res = await echo('off', { request: encryptPayload(derivePayloadKey(secrets['off']!), '{"amount":1}') });
    expect(res.statusCode).toBe(400);
    expect(res.json().response_message).toBe('Missing required field amount');
  });

  it('required: a GET without a body is served, and its schema-filtered answer comes back wrapped', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/test/balance', headers: { authorization: `Bearer ${tokens['required']}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const plain = decryptPayload(derivePayloadKey(secrets['required']!), res.json().request);
    expect(JSON.parse(plain!)).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { balance: 10.5 } });
  });

  it('optional: a GET is answered in plain JSON, filtered by its schema', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/test/balance', headers: { authorization: `Bearer ${tokens['optional']}` } });
    expect(res.json()).toEqual({ response_code: 0, response_message: 'SUCCESS', payload: { balance: 10.5 } });
  });
});
