import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../../core/errors/app-error.js';
import { envelope, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';
import { emptyBodyIsObject, publicBase } from '../../../core/http/route-helpers.js';
import { completeIdempotency, idempotencyRecoveryPoint, saveIdempotencyRecoveryPoint } from '../../../core/idempotency/index.js';
import { formatRupees, parseRupees } from '../../../core/money/index.js';
import { scenarioFrom } from '../../../rails/index.js';
import type { OrdersService } from '../orders/service.js';
import { orderIdParams } from '../orders/schemas.js';
import { upiAppLinks, upiQrPng } from './model.js';
import { PaymentNotFoundError } from './errors.js';
import { OrderNotFoundError } from '../orders/errors.js';
import { fromStoredSplit, type SplitDetailInput } from '../split/index.js';
import type { Payment } from './model.js';
import {
  otpBody,
  paymentSearchBody,
  paymentSearchQuery,
  resendResponse,
  serializeSubmit,
  serializeTransaction,
  submitBody,
  submitResponse,
  transactionIdParams,
  transactionPageResponse,
  transactionResponse,
  upiIntentResponse,
  upiIntentSplitResponse,
  upiQrResponse,
  upiQrSplitResponse,
  upiSplitBody,
  upiStatusResponse,
  vpaBody,
  vpaResponse,
} from './schemas.js';
import type { PaymentContext, PaymentResult, PaymentsService } from './service.js';

const tag = { tags: ['Payment Gateway: payments'] };
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };

/** The payments API (reference §2.2, §2.4); docs/api/gateway-payments.md. */
export function registerPaymentRoutes(
  app: FastifyInstance,
  payments: PaymentsService,
  orders: OrdersService,
  options: { publicUrl?: string | undefined },
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;
  const txnId = (request: FastifyRequest) => (request.params as { transactionId: string }).transactionId;
  /** The request's scenario, and the Idempotency-Key completed in the transaction that records the answer. */
  const context = (request: FastifyRequest): PaymentContext => ({
    scenario: scenarioFrom(request),
    finish: async (tx, result) => {
      await completeIdempotency(tx, request, 200, envelope(serializeSubmit(result, publicBase(request, options.publicUrl))));
    },
  });
  const transaction = async (result: PaymentResult) => serializeTransaction(result, await payments.notifyView(result));

  api.post(
    '/v0/payment/submit',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.payments.submit',
        summary: 'Submit Payment Request',
        description: 'Server-to-server payment of an order in any paymentMode. A declined payment is HTTP 200 with transactionStatus FAILED and resultCode 1.',
        body: submitBody,
        response: { 200: submitResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const order = await orders.get(company(request), body.orderId);
      if (body.paymentDetail?.amount !== undefined && parseRupees(body.paymentDetail.amount, { field: 'paymentDetail.amount' }) !== order.amountPaise) {
        throw new ValidationError('Invalid field paymentDetail.amount: must be the order amount', { param: 'paymentDetail.amount' });
      }
      const { orderId: _orderId, paymentDetail: _detail, splitDetails, ...detail } = body;
      // A retry of a submit whose process died carries on with the attempt that run created (ADR 0026).
      const ctx: PaymentContext = {
        ...context(request),
        resume: idempotencyRecoveryPoint(request)?.['transactionId'],
        checkpoint: async (tx, transactionId) => void (await saveIdempotencyRecoveryPoint(tx, request, { transactionId })),
      };
      const result = await payments.submit(company(request), order, detail, ctx, splitDetails);
      return envelope(serializeSubmit(result, publicBase(request, options.publicUrl)));
    },
  );

  api.get(
    '/v0/payment/:transactionId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.payments.get',
        summary: 'Get Transaction Status',
        params: transactionIdParams,
        response: { 200: transactionResponse, ...errors },
      },
    },
    async (request) => envelope(await transaction(await payments.get(company(request), txnId(request)))),
  );

  api.post(
    '/v0/payment/:transactionId/otp/validate',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.payments.validateOtp',
        summary: 'Validate OTP',
        params: transactionIdParams,
        body: otpBody,
        response: { 200: submitResponse, ...errors },
      },
    },
    async (request) => {
      const result = await payments.validateOtp(company(request), txnId(request), request.body.otp, context(request));
      return envelope(serializeSubmit(result, publicBase(request, options.publicUrl)));
    },
  );

  api.get(
    '/v0/payment/:transactionId/otp/resend',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.payments.resendOtp',
        summary: 'Resend OTP',
        params: transactionIdParams,
        response: { 200: resendResponse, ...errors },
      },
    },
    async (request) => {
      const { payment, sent, resendsLeft } = await payments.resendOtp(company(request), txnId(request));
      return envelope({ transactionId: payment.id, sent, resendsLeft });
    },
  );

  api.get(
    '/v0/payment/upi/:transactionId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.payments.upiStatus',
        summary: 'Get UPI Transaction Status',
        params: transactionIdParams,
        response: { 200: upiStatusResponse, ...errors },
      },
    },
    async (request) => {
      const { payment: p } = await payments.get(company(request), txnId(request));
      if (p.rail !== 'upi') throw new PaymentNotFoundError(`Transaction ${p.id} is not a UPI payment`, { param: 'transactionId' });
      return envelope({
        transactionId: p.id,
        ekPayId: p.id,
        status: p.status,
        upiFlow: p.upiFlow,
        vpa: p.vpa,
        rrn: p.bankTransactionId,
        amount: formatRupees(p.amountPaise),
        finalAmount: formatRupees(p.finalAmountPaise),
      });
    },
  );

  api.post(
    '/v0/payment/vpa/verify',
    {
      config: { scope: 'read', idempotency: 'off' },
      schema: { ...tag, operationId: 'gateway.payments.verifyVpa', summary: 'Verify UPI VPA', body: vpaBody, response: { 200: vpaResponse, ...errors } },
    },
    async (request) => {
      const v = await payments.verifyVpa(request.body.vpa);
      return envelope({ vpa: v.vpa, valid: v.exists, customerName: v.name ?? null });
    },
  );

  api.post(
    '/v0/payment/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        ...tag,
        operationId: 'gateway.payments.search',
        summary: 'Search Transaction',
        querystring: paymentSearchQuery,
        body: paymentSearchBody,
        response: { 200: transactionPageResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const b = request.body;
      const page = pageOf(q);
      const companyId = company(request);
      const orderId =
        b.orderId === undefined
          ? undefined
          : await orders.get(companyId, b.orderId).then(
              (o) => o.id,
              (err: unknown) => {
                // An unknown order has no transactions: the search answers an empty page, not a 404.
                if (err instanceof OrderNotFoundError) return b.orderId;
                throw err;
              },
            );
      const { rows, total } = await payments.search(companyId, {
        ...page,
        orderBy: q.orderBy ?? 'created',
        direction: q.direction ?? 'DESC',
        ...(orderId === undefined ? {} : { orderId }),
        ...(b.transactionId === undefined ? {} : { transactionId: b.transactionId }),
        ...(b.uniqueTransactionId === undefined ? {} : { uniqueTransactionId: b.uniqueTransactionId }),
        ...(b.transactionStatuses === undefined ? {} : { statuses: b.transactionStatuses }),
        ...(b.paymentModes === undefined ? {} : { paymentModes: b.paymentModes }),
        ...(b.amountFrom === undefined ? {} : { amountFromPaise: parseRupees(b.amountFrom, { field: 'amountFrom' }) }),
        ...(b.amountTo === undefined ? {} : { amountToPaise: parseRupees(b.amountTo, { field: 'amountTo' }) }),
        ...(b.createdFrom === undefined ? {} : { createdFrom: new Date(b.createdFrom) }),
        ...(b.createdTo === undefined ? {} : { createdTo: new Date(b.createdTo) }),
      });
      const content = [];
      for (const payment of rows) content.push(await transaction({ payment, order: await orders.get(companyId, payment.orderId) }));
      return envelope(toPage(content, total, page));
    },
  );

  /** The order's UPI intent transaction: the one waiting for the payer, or a new one (with the POST's split, if any). */
  const intentOf = async (request: FastifyRequest) => {
    const order = await orders.get(company(request), (request.params as { orderId: string }).orderId);
    const split = (request.body as { splitDetails?: SplitDetailInput[] } | undefined)?.splitDetails;
    const { payment } = await payments.upiIntent(company(request), order.id, { scenario: scenarioFrom(request) }, split);
    if (payment.upiUri === null) throw new ValidationError(`The UPI intent of order ${order.id} failed: ${payment.txnMsg}`, { param: 'orderId' });
    return { payment, uri: payment.upiUri };
  };
  const splitOf = (payment: Payment) => fromStoredSplit(payment.splitDetails).map((s) => ({ accountId: s.accountId, amount: formatRupees(s.amountPaise) }));

  // GET: the order's intent as it is; POST (Get IntentLink/QrCode with Split details, reference §2.7): with a split.
  const intentRoutes = [
    {
      path: '/v0/orders/:orderId/qrcode',
      operationId: 'gateway.orders.upiQr',
      summaries: ['Get Dynamic UPI QR', 'Get QrCode with Split details'],
      responses: [upiQrResponse, upiQrSplitResponse],
      answer: async (payment: Payment, uri: string) => ({ transactionId: payment.id, qrCode: await upiQrPng(uri), qrUrl: uri, ekPayId: payment.id }),
    },
    {
      path: '/v0/orders/:orderId/upi-intent',
      operationId: 'gateway.orders.upiIntent',
      summaries: ['UPI Intent Links', 'Get IntentLink with Split details'],
      responses: [upiIntentResponse, upiIntentSplitResponse],
      answer: (payment: Payment, uri: string) => Promise.resolve({ transactionId: payment.id, ...upiAppLinks(uri) }),
    },
  ];
  for (const route of intentRoutes) {
    for (const withSplit of [false, true]) {
      const method = withSplit ? api.post.bind(api) : api.get.bind(api);
      method(
        route.path,
        {
          config: withSplit ? { scope: 'write', idempotency: 'off' } : { scope: 'write' },
          ...(withSplit ? { preValidation: emptyBodyIsObject } : {}),
          schema: {
            ...tag,
            operationId: withSplit ? `${route.operationId}Split` : route.operationId,
            summary: route.summaries[withSplit ? 1 : 0]!,
            description: "Starts (or returns) the order's UPI intent transaction",
            params: orderIdParams,
            ...(withSplit ? { body: upiSplitBody } : {}),
            response: { 200: route.responses[withSplit ? 1 : 0]!, ...errors },
          },
        },
        async (request: FastifyRequest) => {
          const { payment, uri } = await intentOf(request);
          const answer = await route.answer(payment, uri);
          return envelope(withSplit ? { ...answer, splitDetails: splitOf(payment) } : answer);
        },
      );
    }
  }
}
