import type { LightMyRequestResponse } from 'fastify';
import type { PayloadEncryptionMode, PayoutChecksumMode } from '../../src/auth/identity/index.js';
import type { TestApp } from './app.js';
import { basic, postForm } from './oauth.js';

/** The sandbox instant the payout tests start at: Friday 27 November 2026, 15:37 IST (NEFT batch at 16:00 IST). */
export const START = new Date('2026-11-27T10:07:00.000Z');

export type Api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;

/** A JSON client of /api with a bearer token. */
export function apiClient(t: TestApp, bearer: string): Api {
  return (method, url, payload, headers = {}) =>
    t.app.inject({
      method,
      url: `/api${url}`,
      headers: { authorization: bearer, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
}

/**
 * A new company with its OAuth client and one user, its sandbox clock at START; returns a
 * password-grant bearer. The client takes plain JSON (`optional`) unless the test asks otherwise;
 * a client made by an operator is `required` by default.
 */
export async function newCompany(
  t: TestApp,
  name: string,
  options: { payloadEncryption?: PayloadEncryptionMode; payoutChecksum?: PayoutChecksumMode } = {},
): Promise<{ companyId: string; secret: string; bearer: string; api: Api }> {
  const company = await t.services.identity.createCompany({ name });
  const { secret } = await t.services.identity.createClient({
    companyId: company.id,
    grantTypes: ['password', 'refresh_token'],
    payloadEncryption: 'optional',
    ...options,
  });
  const username = `payouts.${company.id.toLowerCase()}@example.com`;
  await t.services.identity.createUser({ companyId: company.id, username, password: 'Payouts@12345' });
  await t.services.clocks.moveForwardTo(company.id, START);
  const res = await postForm(
    t.app,
    '/oauth/token',
    { username, password: 'Payouts@12345', grant_type: 'password', clientId: company.id },
    basic(company.id, secret),
  );
  if (res.statusCode !== 200) throw new Error(`password grant failed: ${res.body}`);
  const bearer = `Bearer ${(res.json() as { access_token: string }).access_token}`;
  return { companyId: company.id, secret, bearer, api: apiClient(t, bearer) };
}

let keys = 0;
/** Headers of a money POST: a fresh Idempotency-Key. */
export function idem(): Record<string, string> {
  return { 'idempotency-key': `payouts-test-${process.pid}-${++keys}` };
}
