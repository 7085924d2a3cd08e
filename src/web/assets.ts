import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BANK_JS } from './assets/bank-script.js';
import { CHECKOUT_JS } from './assets/checkout-script.js';
import { CLOSE_JS } from './assets/close-script.js';
import { faviconIco } from './assets/favicon.js';
import { LANDING_JS } from './assets/landing-script.js';
import { OUTBOX_JS } from './assets/outbox-script.js';
import { STYLES_CSS } from './assets/styles.js';

export interface Asset {
  body: string | Buffer;
  type: string;
  etag: string;
}

export function asset(body: string | Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * The pages' static files. They live in TypeScript modules rather than beside them so that the
 * compiled package (dist/) carries them without a copy step; they are served from memory.
 */
const ASSETS: Record<string, Asset> = {
  'tijori.css': asset(STYLES_CSS, 'text/css; charset=utf-8'),
  'checkout.js': asset(CHECKOUT_JS, 'text/javascript; charset=utf-8'),
  'bank.js': asset(BANK_JS, 'text/javascript; charset=utf-8'),
  'close.js': asset(CLOSE_JS, 'text/javascript; charset=utf-8'),
  'outbox.js': asset(OUTBOX_JS, 'text/javascript; charset=utf-8'),
  'landing.js': asset(LANDING_JS, 'text/javascript; charset=utf-8'),
};
const FAVICON = asset(faviconIco(), 'image/x-icon');

/** `GET /assets/{name}` and `GET /favicon.ico`: revalidated by ETag (a new release changes the body and so the tag). */
export function registerAssetRoutes(app: FastifyInstance): void {
  app.get('/favicon.ico', { schema: { hide: true } }, async (request, reply) => sendAsset(request, reply, FAVICON));
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const found = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name] : undefined;
    if (!found) {
      return reply.code(404).type('text/plain; charset=utf-8').header('x-error-code', 'route_not_found').send('Not found');
    }
    return sendAsset(request, reply, found);
  });
}

/** Sends a static file, or 304 when the browser holds this version (its ETag); `headers` add to or replace the defaults. */
export function sendAsset(request: FastifyRequest, reply: FastifyReply, found: Asset, headers: Record<string, string> = {}): FastifyReply {
  reply.header('etag', found.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').headers(headers);
  if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
  return reply.type(found.type).send(found.body);
}
