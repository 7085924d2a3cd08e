import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { envelope, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { completeIdempotency, IDEMPOTENCY_HEADER } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { emptyBodyIsObject, publicBase } from '../../../core/http/route-helpers.js';
import type { Order } from './model.js';
import type { OrdersService } from './service.js';
import {
  bnplResponse,
  cancelBody,
  createOrderBody,
  merchantOrderIdParams,
  orderIdParams,
  orderPageResponse,
  orderResponse,
  orderSearchBody,
  searchQuery,
  serializeOrder,
} from './schemas.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';

const tag = { tags: ['Payment Gateway: orders'] };
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };

/** The orders API (reference §2.1); docs/api/gateway-payments.md. */
export function registerOrderRoutes(
  app: FastifyInstance,
  orders: OrdersService,
  bnplOptions: () => Array<{ code: string; name: string }>,
  options: { publicUrl?: string | undefined },
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;
  const serialize = (request: FastifyRequest) => (order: Order) => serializeOrder(order, publicBase(request, options.publicUrl));

  api.post(
    '/v0/orders',
    {
      config: { scope: 'write' },
      schema: { ...tag, operationId: 'gateway.orders.create', summary: 'Create Order', body: createOrderBody, response: { 200: orderResponse, ...errors } },
    },
    async (request) => {
      const body = request.body;
      const amountPaise = parseRupees(body.amount.value, { field: 'amount.value' });
      const order = await orders.create(
        company(request),
        // The key that created the order: its secret signs the notify checksum.
        request.merchant?.accessKey ?? null,
        {
          merchantOrderId: body.orderId,
          amountPaise,
          returnUrl: body.returnUrl,
          notifyUrl: body.notifyUrl,
          description: body.description,
          customerInfo: body.customerInfo,
          customParameters: body.customParameters,
          tpv: body.paymentDetail,
        },
        // Without an Idempotency-Key there is nothing to complete: the order is then one statement (ADR 0028).
        request.headers[IDEMPOTENCY_HEADER] === undefined
          ? undefined
          : (tx, created) => completeIdempotency(tx, request, 200, envelope(serialize(request)(created))).then(() => undefined),
      );
      return envelope(serialize(request)(order));
    },
  );

  api.get(
    '/v0/orders/:orderId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.orders.get',
        summary: "Get Order Status (EnKash's order id, or yours)",
        params: orderIdParams,
        response: { 200: orderResponse, ...errors },
      },
    },
    async (request) => envelope(serialize(request)(await orders.get(company(request), (request.params as { orderId: string }).orderId))),
  );

  api.get(
    '/v0/orders/merchant/:merchantOrderId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.orders.getByMerchantId',
        summary: 'Get Order By Merchant Order Id',
        params: merchantOrderIdParams,
        response: { 200: orderResponse, ...errors },
      },
    },
    async (request) =>
      envelope(serialize(request)(await orders.getByMerchantId(company(request), (request.params as { merchantOrderId: string }).merchantOrderId))),
  );

  api.post(
    '/v0/orders/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        ...tag,
        operationId: 'gateway.orders.search',
        summary: 'Search Order',
        querystring: searchQuery,
        body: orderSearchBody,
        response: { 200: orderPageResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const b = request.body;
      const page = pageOf(q);
      const { rows, total } = await orders.search(company(request), {
        ...page,
        orderBy: q.orderBy ?? 'created',
        direction: q.direction ?? 'DESC',
        ...(b.merchantOrderId === undefined ? {} : { merchantOrderId: b.merchantOrderId }),
        ...(b.orderStatuses === undefined ? {} : { statuses: b.orderStatuses }),
        ...(b.amountFrom === undefined ? {} : { amountFromPaise: parseRupees(b.amountFrom, { field: 'amountFrom' }) }),
        ...(b.amountTo === undefined ? {} : { amountToPaise: parseRupees(b.amountTo, { field: 'amountTo' }) }),
        ...(b.createdFrom === undefined ? {} : { createdFrom: new Date(b.createdFrom) }),
        ...(b.createdTo === undefined ? {} : { createdTo: new Date(b.createdTo) }),
      });
      return envelope(toPage(rows.map(serialize(request)), total, page));
    },
  );

  api.patch(
    '/v0/orders/:orderId/cancel',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.orders.cancel',
        summary: 'Cancel an order that has not been paid',
        params: orderIdParams,
        body: cancelBody,
        response: { 200: orderResponse, ...errors },
      },
      preValidation: emptyBodyIsObject,
    },
    async (request) => {
      const { reason } = request.body;
      return envelope(serialize(request)(await orders.cancel(company(request), (request.params as { orderId: string }).orderId, reason)));
    },
  );

  api.get(
    '/v0/orders/:orderId/bnpl',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.orders.bnpl',
        summary: 'Get BNPL Payment Methods',
        params: orderIdParams,
        response: { 200: bnplResponse, ...errors },
      },
    },
    async (request) => {
      await orders.get(company(request), (request.params as { orderId: string }).orderId);
      return envelope(bnplOptions().map((o) => ({ bnplPaymentOptionId: o.code, name: o.name })));
    },
  );
}
