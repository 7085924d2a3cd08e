import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { envelope, envelopeSchema, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { publicBase } from '../../core/http/route-helpers.js';
import { formatRupees } from '../../core/money/index.js';
import { PAYMENT_STATUSES } from './model.js';
import type { BbpsService } from './service.js';

// "Initiate Bill Payment via EnKash PG" (reference §4): the method is CONFIRMED (POST), the path and
// both bodies were not captured. INFERRED: `POST /api/v0/utilityPayment/pay` answers a PG order and
// the hosted checkout to redirect to (docs/api/bbps.md "Pay through the Payment Gateway", ADR 0045).

const payBody = Type.Object(
  {
    utilityEnkashId: Type.String({ minLength: 1, maxLength: 64, description: 'The bill to pay: one awaiting payment (MAKER_APPROVAL_PENDING)' }),
    returnUrl: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description: 'Where the hosted checkout sends the browser back' }),
    ),
  },
  { additionalProperties: false },
);
type PayBody = Static<typeof payBody>;

const payResponse = envelopeSchema(
  Type.Object({
    utilityEnkashId: Type.String(),
    orderId: Type.String({ description: 'The Payment Gateway order of the bill (Get Order Status reads it)' }),
    merchantOrderId: Type.String(),
    amount: Type.Number(),
    currency: Type.Literal('INR'),
    orderStatus: Type.String(),
    paymentStatus: Type.Union(PAYMENT_STATUSES.map((s) => Type.Literal(s))),
    redirectionUrl: Type.String({ description: 'The hosted checkout of the order: send the payer there' }),
    expiresAt: Type.String(),
  }),
  'The gateway order made for the bill',
);

export function registerPgPayRoute(app: FastifyInstance, service: BbpsService, options: { publicUrl?: string | undefined }): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post<{ Body: PayBody }>(
    '/v0/utilityPayment/pay',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['Bill Payments'],
        operationId: 'bbps.payViaGateway',
        summary: 'Initiate bill payment via the Payment Gateway (INFERRED path)',
        description:
          "Makes a Payment Gateway order for a bill awaiting payment, on the company's own gateway merchant, and answers its hosted checkout. The bill's paymentStatus follows the order (INIT, IN_PROCESS, FAILED, EXPIRED, CANCELLED); a capture pays the bill and sends it to the biller; a biller FAILED refunds the gateway payment.",
        security: [{ bearer: [] }],
        body: payBody,
        response: { 200: payResponse, 400: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema },
      },
    },
    async (request) => {
      const { payment, order } = await service.payViaGateway(request.principal!.companyId, request.body.utilityEnkashId, {
        returnUrl: request.body.returnUrl,
      });
      return envelope({
        utilityEnkashId: payment.id,
        orderId: order.id,
        merchantOrderId: order.merchantOrderId,
        amount: formatRupees(order.amountPaise),
        currency: 'INR' as const,
        orderStatus: order.status,
        paymentStatus: payment.paymentStatus,
        redirectionUrl: `${publicBase(request, options.publicUrl)}/pay/checkout/${order.id}`,
        expiresAt: order.expiresAt.toISOString(),
      });
    },
  );
}
