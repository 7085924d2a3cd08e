import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressKey, createWindowLimiter } from '../../../core/http/rate-limit.js';
import { CheckoutRateLimitError } from './errors.js';

/**
 * The routes EnKash's custom checkout SDK calls from the merchant's own origin (reference §2.4,
 * CONFIRMED-SDK): they answer CORS, and nothing else of the public scope does (ADR 0035).
 */
export const SDK_ROUTES: readonly string[] = [
  '/pay/checkout/:orderId',
  '/pay/checkout/customer-info/:transactionId',
  '/pay/checkout/qrcode/:transactionId',
  '/pay/checkout/upi-detail/:transactionId',
  '/pay/checkout/status/upi/:ekPayId',
  '/pay/charge/process',
  '/pay/charge/intent-transaction',
  '/pay/charge/expire',
  '/pay/charge/cancel',
  '/pay/charge/order/cancel',
  '/api/v0/transactions/:transactionId/minimal',
  '/api/v0/bin/details',
];
const SDK_ROUTE_SET = new Set(SDK_ROUTES);

/** What a preflight allows: the SDK's methods and its one header; no credentials (it fetches with `credentials: 'omit'`). */
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PATCH',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

/** Per client address and minute: every request of the public scope, and the ones that named nothing (404). */
export interface PublicRateLimits {
  requestsPerMinute: number;
  missesPerMinute: number;
}

/**
 * Enough for a checkout polling every 5 s in many tabs behind one NAT; far too few to guess a
 * 95-bit id (ADR 0035). An address that has used up either budget gets 429 until its minute ends.
 */
export const DEFAULT_PUBLIC_RATE_LIMITS: PublicRateLimits = { requestsPerMinute: 600, missesPerMinute: 60 };

/**
 * The calling page's origin when it is another site's (the SDK on the merchant's page), else
 * undefined: no Origin header (a server, a navigation) or the server's own origin (the hosted page).
 */
export function crossOrigin(request: FastifyRequest, ownBase: string): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return undefined;
  const own = new Set([`${request.protocol}://${request.host}`]);
  try {
    own.add(new URL(ownBase).origin);
  } catch {
    // A base that is no URL names no origin.
  }
  return own.has(origin) ? undefined : origin;
}

/**
 * CORS and the per-address rate limit of the public checkout scope (ADR 0035). A preflight is
 * answered for any origin, as it carries neither the transaction nor the merchant; the call itself
 * is checked against the merchant's allow-list by the service, which refuses it with 403 before
 * any change. Every answer of an SDK route but that 403 names the calling origin, so the SDK reads
 * errors as well as results; the refused origin's browser sees a network error, as with EnKash.
 */
/** The BIN lookup's path, public for a checkout's transaction and token-authenticated for a merchant. */
const MERCHANT_BIN_ROUTE = '/api/v0/bin/details';

export function registerCheckoutEdge(scope: FastifyInstance, limits: PublicRateLimits = DEFAULT_PUBLIC_RATE_LIMITS): void {
  const requests = createWindowLimiter({ limit: limits.requestsPerMinute, windowMs: 60_000 });
  const misses = createWindowLimiter({ limit: limits.missesPerMinute, windowMs: 60_000 });

  scope.addHook('onRequest', async (request, reply) => {
    // The merchant-token BIN lookup is a merchant server's call, authenticated by its route: not the browser's budget.
    if (request.routeOptions.url === MERCHANT_BIN_ROUTE && request.headers.authorization !== undefined) return;
    // request.ip is the forwarded client address behind a trusted proxy (TRUST_PROXY); IPv6 by its /64.
    const key = addressKey(request.ip);
    if (misses.exhausted(key) || !requests.take(key)) {
      reply.header('retry-after', String(Math.max(requests.retryAfterSeconds(key), misses.retryAfterSeconds(key))));
      throw new CheckoutRateLimitError('Too many requests from this address; try again in a minute');
    }
  });
  scope.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 404) misses.take(addressKey(request.ip));
  });
  scope.addHook('onSend', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !SDK_ROUTE_SET.has(request.routeOptions.url ?? '') || reply.statusCode === 403) return;
    reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'request-id, x-error-code').header('vary', 'Origin');
  });

  const preflight = async (_request: FastifyRequest, reply: FastifyReply) => reply.code(204).headers(PREFLIGHT_HEADERS).send();
  for (const url of SDK_ROUTES) scope.options(url, { schema: { hide: true } }, preflight);
}
