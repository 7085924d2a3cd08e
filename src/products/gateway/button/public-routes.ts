import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import { envelope } from '../../../core/http/envelope.js';
import { formatRupees } from '../../../core/money/index.js';
import { publicBase } from '../../../core/http/route-helpers.js';
import { TAG, wirePublicButton } from './routes.js';
import { buttonParams, clickBody, clickResponse, errors, publicButtonResponse } from './schemas.js';
import type { ButtonsService } from './service.js';

/** A click's body is a few short fields: anything larger is refused before it is parsed (413). */
const CLICK_BODY_LIMIT_BYTES = 8192;

/**
 * CORS for these routes only: the embed script runs in the merchant's page, on the merchant's
 * origin, and reads the answers (errors included, so that it can show them). No credentials are
 * involved, so any origin may call; the answers hold nothing the button id does not already give.
 */
const CORS_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'request-id, x-error-code' };
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

/**
 * The public side of payment buttons (ADR 0022), outside /api and without a token: the button's
 * definition for the embed script, and a click that creates an order and answers its checkout.
 */
export async function registerButtonPublicRoutes(app: FastifyInstance, options: { service: ButtonsService; publicUrl?: string | undefined }): Promise<void> {
  const { service } = options;
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(CORS_HEADERS);
    });
    const preflight = async (_request: unknown, reply: FastifyReply) => reply.code(204).headers(PREFLIGHT_HEADERS).send();
    scope.options('/pay/button/:buttonId', { schema: { hide: true } }, preflight);
    scope.options('/pay/button/:buttonId/orders', { schema: { hide: true } }, preflight);

    scope.get<{ Params: Static<typeof buttonParams> }>(
      '/pay/button/:buttonId',
      {
        schema: {
          tags: TAG,
          operationId: 'buttons.public.get',
          summary: 'A payment button as the embed script renders it (public, CORS)',
          params: buttonParams,
          response: { 200: publicButtonResponse, ...errors },
        },
      },
      async (request, reply) => {
        const button = await service.publicGet(request.params.buttonId);
        // Short caching: a merchant's edit shows within a minute; a page with many visitors asks once.
        // Set only once the button is found, so that a 404 is never cached by a browser or a proxy.
        reply.header('cache-control', 'public, max-age=60');
        return envelope(wirePublicButton(button));
      },
    );

    scope.post<{ Params: Static<typeof buttonParams>; Body: Static<typeof clickBody> }>(
      '/pay/button/:buttonId/orders',
      {
        bodyLimit: CLICK_BODY_LIMIT_BYTES,
        schema: {
          tags: TAG,
          operationId: 'buttons.public.click',
          summary: "A payer's click: a new order of the button, answered with its checkout URL (public, CORS)",
          description: 'Each call creates an order with a merchant orderId unique to the click. An inactive button is refused (422 payment_button_inactive).',
          params: buttonParams,
          body: clickBody,
          response: { 200: clickResponse, ...errors },
        },
      },
      async (request) => {
        const order = await service.click(request.params.buttonId, request.body);
        return envelope({
          orderId: order.id,
          merchantOrderId: order.merchantOrderId,
          amount: formatRupees(order.amountPaise),
          checkoutUrl: `${publicBase(request, options.publicUrl)}/pay/checkout/${order.id}`,
        });
      },
    );
  });
}
