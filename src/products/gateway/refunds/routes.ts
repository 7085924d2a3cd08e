import type { FastifyInstance } from 'fastify';
import { envelope } from '../../../core/http/envelope.js';
import { completeIdempotency } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { scenarioFrom } from '../../../rails/scenario.js';
import { errors, paymentParams, refundBody, refundParams, refundResponse } from './schemas.js';
import { wireRefund, type RefundsService } from './service.js';

const TAG = ['Payment Gateway: refunds'];

/** Refund routes under /api (reference §2.5). */
export function registerRefundRoutes(app: FastifyInstance, refunds: RefundsService): void {
  app.post(
    '/v0/payment/:transactionId/refund',
    {
      schema: { tags: TAG, summary: 'Refund', params: paymentParams, body: refundBody, response: { 200: refundResponse, ...errors } },
    },
    async (request) => {
      const { transactionId } = request.params as { transactionId: string };
      const body = request.body as { amount: number | string; remarks?: string; requestId: string };
      const input = { amountPaise: parseRupees(body.amount), remarks: body.remarks, requestId: body.requestId };
      const refund = await refunds.create(request.principal!.companyId, transactionId, input, scenarioFrom(request), (tx, r) =>
        completeIdempotency(tx, request, 200, envelope(wireRefund(r))).then(() => undefined),
      );
      return envelope(wireRefund(refund));
    },
  );

  app.get(
    '/v0/payment/refund/:refundTransactionId',
    {
      schema: { tags: TAG, summary: 'Get Refund Transaction Status', params: refundParams, response: { 200: refundResponse, ...errors } },
    },
    async (request) => {
      const { refundTransactionId } = request.params as { refundTransactionId: string };
      return envelope(wireRefund(await refunds.get(request.principal!.companyId, refundTransactionId)));
    },
  );
}
