import type { FastifyInstance } from 'fastify';
import { SANDBOX } from '../../src/auth/seed.js';

/** A merchant token of the sandbox company's seeded keys, through the real token route. */
export async function merchantToken(
  app: FastifyInstance,
  accessKey: string = SANDBOX.merchantAccessKey,
  secretKey: string = SANDBOX.merchantSecretKey,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v0/merchant/token', payload: { accessKey, secretKey } });
  if (res.statusCode !== 200) throw new Error(`merchant token: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

/**
 * Headers that authenticate a Payment Gateway call as the sandbox company: the merchant token and
 * its `merchantAccessKey` (reference §1.2(a)). Gateway tests use only this.
 */
export async function gatewayHeaders(app: FastifyInstance): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await merchantToken(app)}`, merchantaccesskey: SANDBOX.merchantAccessKey };
}
