import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ValidationError } from '../../../core/errors/app-error.js';
import { envelope } from '../../../core/http/envelope.js';
import { scenarioFrom } from '../../../rails/index.js';
import { chargeRejection } from './charge-rejection.js';
import { attemptsLeft } from '../index.js';
import { crossOrigin, registerCheckoutEdge, type PublicRateLimits } from './edge.js';
import type { CheckoutDetail } from './model.js';
import {
  binQuery,
  merchantBinQuery,
  binResponse,
  chargeBody,
  chargeResponse,
  checkoutDetailResponse,
  closedResponse,
  customerInfoBody,
  customerInfoResponse,
  ekPayIdParams,
  errors,
  intentBody,
  intentResponse,
  keyQuery,
  minimalResponse,
  orderIdParams,
  qrResponse,
  reasonBody,
  remarkBody,
  tag,
  transactionIdParams,
  upiDetailResponse,
  upiStatusResponse,
} from './schemas.js';
import type { CheckoutService, PublicKeys } from './service.js';

/** The HTML side of `GET /pay/checkout/{orderId}` (src/web renders it; products render no HTML). */
export interface CheckoutPageRenderer {
  /** Headers of every page (content type, CSP, no caching, no framing). */
  headers: Record<string, string>;
  /** The page of a payable order. */
  page(detail: CheckoutDetail): string;
  /** The page of an order that takes no payment (unknown, paid, cancelled, expired), and its status. */
  closed(orderId: string, err: unknown): Promise<{ status: number; html: string }>;
}

export interface CheckoutRouteOptions {
  service: CheckoutService;
  /** The /api guard, for `GET /api/v0/bin/details` called with a merchant token (app.ts). */
  authenticate(request: FastifyRequest): Promise<void>;
  /** Per-address limits of the public scope (ADR 0035); DEFAULT_PUBLIC_RATE_LIMITS when absent. */
  rateLimits?: PublicRateLimits | undefined;
  /** TIJORI_PUBLIC_URL: the base of `redirectionUrl`; else the request's own origin (as the payments API). */
  publicUrl?: string | undefined;
  pages: CheckoutPageRenderer;
}

/** A browser's navigation prefers HTML; the SDK's fetch asks for JSON (or anything). */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

function closedView(result: Awaited<ReturnType<CheckoutService['cancel']>>) {
  const { payment: p, order } = result;
  return {
    transactionId: p.id,
    transactionStatus: p.status,
    orderStatus: order.status,
    paymentAttemptLeft: attemptsLeft(order) > 0,
    resultMessage: p.txnMsg,
  };
}

/**
 * The hosted checkout's JSON endpoints (reference §2.4), public: no token, addressed by the order
 * id or by the transaction id with its publicIdentifierKey. docs/api/gateway-checkout.md.
 */
export function registerCheckoutRoutes(app: FastifyInstance, options: CheckoutRouteOptions): void {
  const { service, pages } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
  const ctx = (request: FastifyRequest) => ({ baseUrl: baseUrl(request), scenario: scenarioFrom(request) });
  /**
   * The transaction id, the key when the caller sent one (query, else body: the hosted page does,
   * the SDK does not), and the calling page's origin when it is another site's (ADR 0035).
   */
  const keysOf = (request: FastifyRequest, transactionId: string): PublicKeys => {
    const query = request.query as { publicIdentifierKey?: string } | undefined;
    const body = request.body as { publicIdentifierKey?: string } | undefined;
    return { transactionId, publicIdentifierKey: query?.publicIdentifierKey ?? body?.publicIdentifierKey, origin: crossOrigin(request, baseUrl(request)) };
  };
  const txn = (request: FastifyRequest) => keysOf(request, (request.params as { transactionId: string }).transactionId);
  registerCheckoutEdge(app, options.rateLimits);

  app.get<{ Params: Static<typeof orderIdParams> }>(
    '/pay/checkout/:orderId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.get',
        summary: 'Order detail of the hosted checkout (a browser gets the page)',
        description:
          'Opens the checkout of an order: creates its transaction on first render (the order becomes CHECKOUT_RENDERED; a reload keeps it) and answers ' +
          'the order detail of reference §2.4. A request whose Accept prefers text/html gets the checkout page instead.',
        params: orderIdParams,
        response: { 200: checkoutDetailResponse, ...errors },
      },
    },
    async (request, reply: FastifyReply) => {
      if (!wantsHtml(request)) return envelope(await service.open(request.params.orderId, crossOrigin(request, baseUrl(request))));
      let detail: CheckoutDetail;
      try {
        // A page on another site fetching the HTML is held to the allow-list as the JSON is (ADR 0035).
        detail = await service.open(request.params.orderId, crossOrigin(request, baseUrl(request)));
      } catch (err) {
        const closed = await pages.closed(request.params.orderId, err);
        return reply.code(closed.status).headers(pages.headers).send(closed.html);
      }
      return reply.headers(pages.headers).send(pages.page(detail));
    },
  );

  app.patch<{ Params: Static<typeof transactionIdParams>; Body: Static<typeof customerInfoBody>; Querystring: Static<typeof keyQuery> }>(
    '/pay/checkout/customer-info/:transactionId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.customerInfo',
        summary: "Save the customer's email and mobile",
        params: transactionIdParams,
        querystring: keyQuery,
        body: customerInfoBody,
        response: { 200: customerInfoResponse, ...errors },
      },
    },
    async (request) => envelope(await service.saveCustomer(txn(request), request.body)),
  );

  app.get<{ Querystring: Static<typeof merchantBinQuery> }>(
    '/api/v0/bin/details',
    {
      // For the merchant-token call: the /api guard's rules (options.authenticate).
      config: { merchantAuth: true, scope: 'read' },
      schema: {
        tags: ['Payment Gateway: payments'],
        operationId: 'gateway.bin.details',
        summary: 'BIN details (reference §2.4)',
        description:
          'With a merchant token: any BIN. Without one (the custom checkout SDK in the browser): `transactionId` names a checkout transaction, and an unknown network answers `payload: null`.',
        security: [{}, { merchantToken: [], merchantAccessKey: [] }],
        querystring: merchantBinQuery,
        response: { 200: binResponse, ...errors },
      },
    },
    async (request) => {
      const { bin, transactionId } = request.query;
      if (request.headers.authorization === undefined && request.headers['merchantaccesskey'] === undefined) {
        if (transactionId === undefined) throw new ValidationError('Missing required field transactionId (or a merchant token)', { param: 'transactionId' });
        return envelope(await service.binDetails(keysOf(request, transactionId), bin));
      }
      await options.authenticate(request);
      const info = service.binOf(bin);
      if (!info) throw new ValidationError('Invalid field bin: no card network has this BIN', { param: 'bin' });
      return envelope(info);
    },
  );

  app.get<{ Querystring: Static<typeof binQuery> }>(
    '/pay/checkout/bin/details',
    {
      schema: {
        ...tag,
        operationId: 'checkout.binDetails',
        summary: 'BIN details for the card form (Tijori: the public twin of /api/v0/bin/details)',
        querystring: binQuery,
        response: { 200: binResponse, ...errors },
      },
    },
    async (request) => envelope(await service.binDetails(keysOf(request, request.query.transactionId), request.query.bin)),
  );

  app.get<{ Params: Static<typeof transactionIdParams>; Querystring: Static<typeof keyQuery> }>(
    '/pay/checkout/qrcode/:transactionId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.qrCode',
        summary: 'Get Dynamic UPI QR',
        params: transactionIdParams,
        querystring: keyQuery,
        response: { 200: qrResponse, ...errors },
      },
    },
    async (request) => envelope(await service.qrCode(txn(request), scenarioFrom(request))),
  );

  app.get<{ Params: Static<typeof transactionIdParams>; Querystring: Static<typeof keyQuery> }>(
    '/pay/checkout/upi-detail/:transactionId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.upiDetail',
        summary: 'UPI Intent Links',
        params: transactionIdParams,
        querystring: keyQuery,
        response: { 200: upiDetailResponse, ...errors },
      },
    },
    async (request) => envelope(await service.upiDetail(txn(request))),
  );

  app.get<{ Params: Static<typeof ekPayIdParams>; Querystring: Static<typeof keyQuery> }>(
    '/pay/checkout/status/upi/:ekPayId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.upiStatus',
        summary: 'Poll a UPI payment',
        params: ekPayIdParams,
        querystring: keyQuery,
        response: { 200: upiStatusResponse, ...errors },
      },
    },
    async (request) => envelope(await service.upiStatus(keysOf(request, request.params.ekPayId))),
  );

  app.post<{ Body: Static<typeof chargeBody> }>(
    '/pay/charge/process',
    {
      errorHandler: chargeRejection,
      schema: {
        ...tag,
        operationId: 'checkout.process',
        summary: 'Pay the checkout transaction with the mode chosen',
        body: chargeBody,
        response: { 200: chargeResponse, ...errors },
      },
    },
    async (request) => {
      const { uniqueTransactionId, paymentDetail, popupMode } = request.body;
      return envelope(
        await service.charge({ ...keysOf(request, request.body.transactionId), uniqueTransactionId }, paymentDetail, { ...ctx(request), popupMode }),
      );
    },
  );

  app.post<{ Body: Static<typeof intentBody>; Querystring: Static<typeof keyQuery> }>(
    '/pay/charge/intent-transaction',
    {
      schema: {
        ...tag,
        operationId: 'checkout.intentTransaction',
        summary: 'Pay with a UPI app (intent)',
        querystring: keyQuery,
        body: intentBody,
        response: { 200: intentResponse, ...errors },
      },
    },
    async (request) => envelope(await service.intentTransaction(keysOf(request, request.body.transactionId), request.body.bankCode, ctx(request))),
  );

  app.get<{ Params: Static<typeof transactionIdParams>; Querystring: Static<typeof keyQuery> }>(
    '/api/v0/transactions/:transactionId/minimal',
    {
      schema: {
        ...tag,
        operationId: 'checkout.minimal',
        summary: 'The transaction as the browser may see it',
        params: transactionIdParams,
        querystring: keyQuery,
        response: { 200: minimalResponse, ...errors },
      },
    },
    async (request) => envelope(await service.minimal(txn(request))),
  );

  app.patch<{ Body: Static<typeof remarkBody>; Querystring: Static<typeof keyQuery> }>(
    '/pay/charge/expire',
    {
      schema: {
        ...tag,
        operationId: 'checkout.expire',
        summary: 'The checkout page timed out',
        querystring: keyQuery,
        body: remarkBody,
        response: { 200: closedResponse, ...errors },
      },
    },
    async (request) => envelope(closedView(await service.expire(keysOf(request, request.body.transactionId), request.body.remark))),
  );

  app.patch<{ Body: Static<typeof remarkBody>; Querystring: Static<typeof keyQuery> }>(
    '/pay/charge/cancel',
    {
      schema: {
        ...tag,
        operationId: 'checkout.cancel',
        summary: 'The customer cancels the payment',
        querystring: keyQuery,
        body: remarkBody,
        response: { 200: closedResponse, ...errors },
      },
    },
    async (request) => envelope(closedView(await service.cancel(keysOf(request, request.body.transactionId), request.body.remark))),
  );

  app.patch<{ Body: Static<typeof reasonBody>; Querystring: Static<typeof keyQuery> }>(
    '/pay/charge/order/cancel',
    {
      schema: {
        ...tag,
        operationId: 'checkout.cancelOrder',
        summary: 'The customer cancels the order',
        querystring: keyQuery,
        body: reasonBody,
        response: { 200: closedResponse, ...errors },
      },
    },
    async (request) => envelope(closedView(await service.cancelOrder(keysOf(request, request.body.transactionId), request.body.reason))),
  );
}
