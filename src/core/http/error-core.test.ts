import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { seedPasswordGrant } from '../../../test/support/oauth.js';

/**
 * The error core: every failure, whatever raised it, leaves in the envelope (or, under /oauth,
 * the Spring OAuth2 shape) with a 4xx that says what was wrong, and every response carries a
 * request id. Fixture routes under /api exercise validation and an unexpected exception.
 */
describe('error core', () => {
  let t: TestApp;
  let bearer: string;

  beforeAll(async () => {
    t = await createTestApp({
      oauth: {},
      registerApiRoutes: (api) => {
        api.post(
          '/v0/test/validated',
          {
            config: { scope: 'write' },
            schema: {
              body: {
                type: 'object',
                additionalProperties: false,
                properties: { payer: { type: 'object', properties: { vpa: { type: 'string' } }, required: ['vpa'] }, amount: { type: 'number' } },
                required: ['payer', 'amount'],
              },
            },
          },
          async (request) => ({ response_code: 0, response_message: 'SUCCESS', payload: request.body }),
        );
        api.get('/v0/test/boom', { config: { scope: 'read' } }, async () => {
          throw new Error('relation "secret_table" does not exist at line 7');
        });
      },
    });
    bearer = `Bearer ${(await seedPasswordGrant(t.app)).json().access_token}`;
  });
  afterAll(async () => t.close());

  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v0/test/validated', headers: { authorization: bearer, 'content-type': contentType }, payload });

  it('malformed JSON is 400 malformed_body in the envelope', async () => {
    const res = await post('{"amount": 1,');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ response_code: 400, response_message: 'Request body is not valid JSON', payload: null });
    expect(res.headers['x-error-code']).toBe('malformed_body');
  });

  it('a content type the route does not take is 415 in the envelope', async () => {
    const res = await post('amount=1', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ response_code: 415, response_message: 'Unsupported Content-Type: text/plain', payload: null });
  });

  it('a body over the limit is 413 in the envelope', async () => {
    const res = await post(JSON.stringify({ amount: 1, payer: { vpa: 'x'.repeat(t.config.bodyLimitBytes) } }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ response_code: 413, response_message: 'Request body is too large', payload: null });
  });

  it('a missing nested field is named in the message', async () => {
    const res = await post(JSON.stringify({ amount: 1, payer: {} }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ response_code: 400, response_message: 'Missing required field payer.vpa', payload: null });
    expect(res.headers['x-error-code']).toBe('validation_failed');
  });

  it('a field of the wrong type is named in the message', async () => {
    const res = await post(JSON.stringify({ amount: 'ten', payer: { vpa: 'a@b' } }));
    expect(res.json()).toEqual({
      response_code: 400,
      response_message: 'Invalid field amount: must be a JSON number or a plain decimal string',
      payload: null,
    });
  });

  it('an unexpected exception is a 500 that leaks nothing, and the log has the detail under the same request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/test/boom', headers: { authorization: bearer } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ response_code: 500, response_message: 'Internal server error', payload: null });
    expect(res.body).not.toContain('secret_table');
    const line = t.logs.lines.map((l) => JSON.parse(l)).find((l) => l.reqId === res.headers['request-id'] && l.level === 50);
    expect(line?.err?.message).toContain('secret_table');
  });

  it('an unknown route under /api is 404 in the envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/nothing-here', headers: { authorization: bearer } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ response_code: 404, response_message: 'No route for GET /api/v0/nothing-here', payload: null });
  });

  it('an unknown route elsewhere is 404 in the envelope', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ response_code: 404, response_message: 'No route for DELETE /nowhere', payload: null });
  });

  it('an over-long or badly encoded path parameter is a 4xx in the envelope that does not repeat the path', async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/v0/events/${'x'.repeat(101)}`, headers: { authorization: bearer } });
    expect(long.statusCode).toBe(414);
    expect(long.headers['x-error-code']).toBe('path_parameter_too_long');
    expect(long.json()).toEqual({ response_code: 414, response_message: 'A path parameter is longer than 100 characters', payload: null });
    const bad = await t.app.inject({ method: 'GET', url: '/api/v0/events/%E0%A4%A', headers: { authorization: bearer } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-error-code']).toBe('malformed_url');
    expect(bad.json()).toEqual({ response_code: 400, response_message: 'The request path is not a valid URL (bad percent-encoding)', payload: null });
  });

  it('an unknown route under /oauth is 404 in the OAuth shape, not cacheable', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/oauth/authorize' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', error_description: 'No route for POST /oauth/authorize' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('malformed form data under /oauth is 400 invalid_request in the OAuth shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'Basic Q0VLMUdaQk82QTo2NGIwZmYwMzMyZjA1OGI1NjQwMmI2M2E5YmFhNjAyMTRmMmQ2MWQz',
      },
      payload: 'grant_type=password&grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'Duplicate parameter: grant_type' });
  });

  it("a bearer credential of any shape is looked up, and an unknown one is Spring's invalid_token", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v0/me', headers: { authorization: 'Bearer abc!def' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid access token: abc!def' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="oauth", error="invalid_token", error_description="Invalid access token: abc!def"');
  });

  it('every response carries a request id, successes and failures alike', async () => {
    const responses = [
      await t.app.inject({ method: 'GET', url: '/health' }),
      await t.app.inject({ method: 'GET', url: '/api/v0/me' }),
      await t.app.inject({ method: 'GET', url: '/nowhere' }),
      await seedPasswordGrant(t.app),
    ];
    const ids = responses.map((r) => r.headers['request-id']);
    for (const id of ids) expect(id).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('/ready answers UP while the database is reachable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'UP' });
  });
});
