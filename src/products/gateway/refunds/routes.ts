import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../../core/errors/app-error.js';
import { envelope } from '../../../core/http/envelope.js';
import { completeIdempotency } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { scenarioFrom } from '../../../rails/scenario.js';
import { emptyBodyIsObject } from '../../../core/http/route-helpers.js';
import { enquiryBody, errors, paymentParams, refundBody, refundParams, refundResponse } from './schemas.js';
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
      const refund = await refunds.create(request.principal!.companyId, transactionId, input, {
        scenario: scenarioFrom(request),
        complete: (tx, r) => completeIdempotency(tx, request, 200, envelope(wireRefund(r))).then(() => undefined),
      });
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

  app.post(
    '/v0/payment/refund/enquiry',
    {
      // A read: nothing to replay, so an Idempotency-Key is not stored.
      config: { idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        tags: TAG,
        summary: 'Refund Enquiry',
        description: 'The refund named by refundTransactionId, by requestId, or by both (then both must name it). Changes nothing.',
        body: enquiryBody,
        response: { 200: refundResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body as { refundTransactionId?: string; requestId?: string };
      // Unknown fields are dropped by the validator, so an empty body and `{transactionId}` both arrive here.
      if (body.refundTransactionId === undefined && body.requestId === undefined)
        throw new ValidationError('Missing required field refundTransactionId or requestId', { param: 'refundTransactionId' });
      return envelope(wireRefund(await refunds.enquire(request.principal!.companyId, body)));
    },
  );
}
