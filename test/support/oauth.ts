import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SANDBOX } from '../../src/auth/seed.js';

export const SEED_BASIC = 'Basic Q0VLMUdaQk82QTo2NGIwZmYwMzMyZjA1OGI1NjQwMmI2M2E5YmFhNjAyMTRmMmQ2MWQz';

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** POST a form to an /oauth endpoint through the app's real request pipeline. */
export function postForm(
  app: FastifyInstance,
  url: string,
  params: Record<string, string>,
  authorization: string | undefined = SEED_BASIC,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization === undefined ? {} : { authorization }),
    },
    payload: form(params),
  });
}

/** The seed page's password grant, exactly. */
export function seedPasswordGrant(app: FastifyInstance, overrides: Record<string, string> = {}) {
  return postForm(app, '/oauth/token', {
    username: SANDBOX.username,
    password: SANDBOX.password,
    grant_type: 'password',
    clientId: SANDBOX.companyId,
    ...overrides,
  });
}

/** `Bearer <access token>` of the seeded sandbox user (password grant), for /api requests. */
export async function seedBearer(app: FastifyInstance): Promise<string> {
  const res = await seedPasswordGrant(app);
  if (res.statusCode !== 200) throw new Error(`password grant failed: ${res.statusCode} ${res.body}`);
  return `Bearer ${(res.json() as { access_token: string }).access_token}`;
}
