import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { envelope, envelopeSchema, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { formatRupees } from '../../core/money/index.js';
import { enkashDateTime, type CompanyBiller } from './model.js';
import { billParamsSchema, billerIdSchema, circleSchema, emailSchema } from './schemas.js';
import type { BbpsService } from './service.js';

// The Consumer Number APIs and Prepaid Plan of reference §4's newest nav (docs.enkash.com/api-29257425).
// Their paths and bodies were not captured: these are INFERRED in the style of the CONFIRMED v2
// routes (docs/api/bbps.md "Consumer numbers" and "Prepaid plans").

const TAG = 'Bill Payments';
const security = [{ bearer: [] }];
const errors = { 400: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };
const nullableText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

const addConsumerBody = Type.Object(
  {
    billerId: billerIdSchema,
    circle: Type.Optional(circleSchema),
    billParams: billParamsSchema,
    addBiller: Type.Optional(Type.Boolean({ description: 'Mark the consumer active for automatic bill fetch' })),
    remarks: nullableText(500),
    keyContactEmail: Type.Optional(Type.Union([emailSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
const updateConsumerBody = Type.Object(
  {
    circle: Type.Optional(circleSchema),
    billParams: Type.Optional(billParamsSchema),
    addBiller: Type.Optional(Type.Boolean()),
    remarks: nullableText(500),
    keyContactEmail: Type.Optional(Type.Union([emailSchema, Type.Null()])),
  },
  { additionalProperties: false, description: 'Only the fields sent change; billParams.cn must stay the same' },
);
const consumerParams = Type.Object({ companyBillerId: Type.String({ minLength: 1, maxLength: 64 }) });
const consumerResponse = envelopeSchema(
  Type.Object({
    companyBillerId: Type.String({ examples: ['CBL7K2M9Q4XA1'] }),
    billerId: Type.Integer(),
    circle: Type.Union([Type.String(), Type.Null()]),
    consumerNumber: Type.String(),
    billParams: Type.Record(Type.String(), Type.String()),
    addBiller: Type.Boolean({ description: 'Active for automatic bill fetch' }),
    remarks: Type.Union([Type.String(), Type.Null()]),
    keyContactEmail: Type.Union([Type.String(), Type.Null()]),
    createdDate: Type.String({ examples: ['2025-05-12T14:30:25'] }),
    updatedDate: Type.String(),
  }),
  'The consumer of the biller (companyBillerId)',
);
const planQuery = Type.Object(
  {
    billerId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    circle: Type.Optional(circleSchema),
    category: Type.Optional(Type.String({ enum: ['BASE_PACK', 'ADD_ON'] })),
  },
  { additionalProperties: false },
);
const plansResponse = envelopeSchema(
  Type.Array(
    Type.Object({
      planId: Type.String({ examples: ['PLN6001M1'] }),
      billerId: Type.Integer(),
      amount: Type.Number({ examples: [299] }),
      validity: Type.String({ examples: ['1 month'] }),
      category: Type.String(),
      description: Type.String(),
    }),
  ),
  'Recharge plans, cheapest first; pay one with POST /api/v2/biller/addBill and its amount',
);

function wireConsumer(cb: CompanyBiller) {
  return {
    companyBillerId: cb.id,
    billerId: cb.billerId,
    circle: cb.circle,
    consumerNumber: cb.consumerNumber,
    billParams: cb.billParams,
    addBiller: cb.autoFetch,
    remarks: cb.remarks,
    keyContactEmail: cb.keyContactEmail,
    createdDate: enkashDateTime(cb.createdAt)!,
    updatedDate: enkashDateTime(cb.updatedAt)!,
  };
}

/** Add and Update Consumer Number, and Prepaid Plan, inside the Bill Payments plugin (its error handler). */
export function registerConsumerRoutes(app: FastifyInstance, service: BbpsService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const companyOf = (request: FastifyRequest) => request.principal!.companyId;

  api.post(
    '/v2/biller/consumer',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.addConsumer',
        summary: 'Add Consumer Number',
        description:
          'Registers a consumer of a biller (its companyBillerId) without fetching a bill; `addBiller` marks it for automatic bill fetch. 409 when the company already has it.',
        security,
        body: addConsumerBody,
        response: { 200: consumerResponse, ...errors },
      },
    },
    async (request) => envelope(wireConsumer(await service.addConsumer(companyOf(request), request.body))),
  );

  api.patch(
    '/v2/biller/consumer/:companyBillerId',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.updateConsumer',
        summary: 'Update Consumer Number',
        description: "Changes a registered consumer's circle, other billParams (ad1…), automatic fetch, remarks or contact; the consumer number itself stays.",
        security,
        params: consumerParams,
        body: updateConsumerBody,
        response: {
          200: consumerResponse,
          ...errors,
          422: {
            ...errorEnvelopeSchema,
            description:
              'Not found: "Invalid companyBillerId" (X-Error-Code company_biller_not_found) for an id the company does not have, as the other BBPS routes answer it; also a field error (invalid_biller_input, consumer_number_change)',
          },
        },
      },
    },
    async (request) => envelope(wireConsumer(await service.updateConsumer(companyOf(request), request.params.companyBillerId, request.body))),
  );

  api.get(
    '/v2/biller/prepaidPlan',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.prepaidPlans',
        summary: 'Prepaid Plan',
        description: 'The recharge plans of a prepaid biller (the DTH billers of the sandbox catalogue); 422 for a biller without plans.',
        security,
        querystring: planQuery,
        response: { 200: plansResponse, ...errors },
      },
    },
    async (request) =>
      envelope(
        service.prepaidPlans(request.query).map((p) => ({
          planId: p.planId,
          billerId: p.billerId,
          amount: formatRupees(p.amountPaise),
          validity: p.validity,
          category: p.category,
          description: p.description,
        })),
      ),
  );
}
