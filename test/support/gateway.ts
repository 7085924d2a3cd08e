import type { FastifyInstance } from 'fastify';
import { seedBearer } from './oauth.js';

/**
 * Headers that authenticate a Payment Gateway call as the sandbox company. Gateway tests use only
 * this, so they keep working when the gateway's authentication changes.
 */
export async function gatewayHeaders(app: FastifyInstance): Promise<Record<string, string>> {
  return { authorization: await seedBearer(app) };
}
