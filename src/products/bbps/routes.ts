import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../core/errors/app-error.js';
import { envelope, envelopeErrorHandler, errorEnvelopeSchema, type Envelope } from '../../core/http/envelope.js';
import { toPage } from '../../core/http/pagination.js';
import { completeIdempotency } from '../../core/idempotency/index.js';
import { formatRupees, parseRupees } from '../../core/money/index.js';
import { scenarioFrom } from '../../rails/index.js';
import { BUSINESS_RESPONSE_CODES, InvalidCompanyIdError } from './errors.js';
import { enkashDateTime, istDay, type UtilityPayment } from './model.js';
import {
  addBillBody,
  approvalBody,
  approvalResponse,
  billAddResponse,
  billerQuery,
  billersResponse,
  billerTypesResponse,
  billFetchResponse,
  createAfterFetchBody,
  fetchBillBody,
  idParams,
  referenceParams,
  searchBody,
  searchResponse,
  settingsResponse,
  statusResponse,
  type AddBillBody,
  type ApprovalBody,
  type BillFetchPayload,
  type CreateAfterFetchBody,
  type FetchBillBody,
  type SearchBody,
} from './schemas.js';
import type { BbpsService, FetchResult } from './service.js';

const TAG = 'Bill Payments';
const errors = {
  400: errorEnvelopeSchema,
  404: errorEnvelopeSchema,
  409: errorEnvelopeSchema,
  412: errorEnvelopeSchema,
  422: errorEnvelopeSchema,
  503: errorEnvelopeSchema,
};
const security = [{ bearer: [] }];
/** The lookups by id answer an unknown id as EnKash does, 400 rather than 404 (reference §4, CONFIRMED). */
const lookupErrors = {
  ...errors,
  400: {
    ...errorEnvelopeSchema,
    properties: { ...errorEnvelopeSchema.properties, payload: { type: ['string', 'null'], examples: ['No utility payment found'] } },
    description:
      'Not found: "No utility payment found", also as the payload (X-Error-Code utility_payment_not_found), for an id or referenceId the company does not have, as EnKash answers (reference §4); also a malformed request (payload null)',
  },
};

/**
 * Business failures answer HTTP 200 with their EnKash response_code (reference §1.4: 1, 36, 37,
 * 38), the message also as the payload, like EnKash's "Insufficient balance" example. "No utility
 * payment found" keeps its HTTP 400 but carries the message as the payload too: EnKash's
 * timeout-retry advice keys on that payload (reference §4, "Error handling guidance"). Every other
 * error goes to the one envelope mapper.
 */
function bbpsErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (!(err instanceof AppError)) return envelopeErrorHandler(err, request, reply);
  const responseCode = BUSINESS_RESPONSE_CODES[err.code];
  const status = responseCode === undefined ? err.status : 200;
  if (responseCode === undefined && !MESSAGE_AS_PAYLOAD.has(err.code)) return envelopeErrorHandler(err, request, reply);
  request.log.info({ code: err.code, responseCode, status }, err.message);
  void reply
    .code(status)
    .header('x-error-code', err.code)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ response_code: responseCode ?? status, response_message: err.message, payload: err.message }));
}
/** Errors whose envelope carries the message as its payload, as EnKash's do. */
const MESSAGE_AS_PAYLOAD = new Set(['utility_payment_not_found']);

/** The amount of a create-after-fetch: `billNetAmount`, or the fetch answer's `billnetamount` (they must agree when both come). */
function netAmountOf(b: CreateAfterFetchBody): bigint {
  const documented = b.billNetAmount ?? null;
  const fetched = b.billnetamount ?? null;
  if (documented === null && fetched === null) throw new ValidationError('Missing required field billNetAmount', { param: 'billNetAmount' });
  if (documented !== null && fetched !== null && documented !== fetched)
    throw new ValidationError('Invalid field billnetamount: differs from billNetAmount; send one of them', { param: 'billnetamount' });
  return documented !== null ? parseRupees(documented, { field: 'billNetAmount' }) : parseRupees(fetched!, { field: 'billnetamount' });
}

function billAdd(p: UtilityPayment) {
  return {
    amount: formatRupees(p.amountPaise),
    consumerNumber: p.consumerNumber,
    billdate: p.billDate,
    billDueDate: p.billDueDate,
    createdDate: enkashDateTime(p.createdAt)!,
    utilityEnkashId: p.id,
    referenceId: p.referenceId,
    approvalStatus: p.approvalStatus,
    paymentStatus: p.paymentStatus,
    billpayStatus: p.billpayStatus,
  };
}

function billFetch({ companyBiller, bill }: FetchResult): Envelope<BillFetchPayload> {
  const money = (v: bigint | null) => (v === null ? null : formatRupees(v));
  if (!bill) {
    const none = {
      billNumber: null,
      userName: null,
      billAmount: null,
      billdate: null,
      dueDate: null,
      billPeriod: null,
      billnetamount: null,
      earlyPaymentAmount: null,
      earlyPaymentDate: null,
      latePaymentAmount: null,
      actualDueDate: null,
      billId: null,
      validationId: null,
      billStartDate: null,
      billEnddate: null,
    };
    return {
      response_code: 1,
      response_message: 'No bill due',
      payload: { companyBillerId: companyBiller.id, ...none, statusMessage: 'No bill due for this consumer number' },
    };
  }
  return envelope({
    companyBillerId: companyBiller.id,
    billNumber: bill.billNumber,
    userName: bill.customerName,
    billAmount: formatRupees(bill.billAmountPaise),
    billdate: bill.billDate,
    dueDate: bill.dueDate,
    billPeriod: bill.billPeriod,
    billnetamount: formatRupees(bill.billNetAmountPaise),
    earlyPaymentAmount: money(bill.earlyPaymentAmountPaise),
    earlyPaymentDate: bill.earlyPaymentDate,
    latePaymentAmount: money(bill.latePaymentAmountPaise),
    actualDueDate: bill.dueDate,
    statusMessage: null,
    billId: bill.billId,
    validationId: bill.validationId,
    billStartDate: bill.billStartDate,
    billEnddate: bill.billEndDate,
  });
}

/** The Bill Payments routes (reference §4), under /api. CONFIRMED v2 paths with their v0 aliases; INFERRED paths for the rest. */
export function registerBbpsRoutes(app: FastifyInstance, service: BbpsService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.setErrorHandler(bbpsErrorHandler);
  const companyOf = (request: FastifyRequest) => request.principal!.companyId;

  api.get(
    '/v0/biller/types',
    {
      config: { scope: 'read' },
      schema: { tags: [TAG], operationId: 'bbps.billerTypes', summary: 'Get biller types (categories)', security, response: { 200: billerTypesResponse } },
    },
    async () => envelope(service.billerTypes()),
  );

  api.get<{ Querystring: { billerType?: string; circle?: string } }>(
    '/v0/biller',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.billers',
        summary: 'Get billers, optionally of one type and circle',
        security,
        querystring: billerQuery,
        response: { 200: billersResponse, ...errors },
      },
    },
    async (request) => envelope(service.billers(request.query)),
  );

  for (const [version, operationId] of [
    ['v2', 'bbps.fetchBill'],
    ['v0', 'bbps.fetchBillV0'],
  ] as const) {
    api.post<{ Body: FetchBillBody }>(
      `/${version}/biller/fetchOrAddBill`,
      {
        config: { scope: 'write' },
        schema: {
          tags: [TAG],
          operationId,
          summary: version === 'v2' ? 'Fetch the current bill (and register the consumer)' : 'Fetch the current bill (older path, same as v2)',
          description:
            'Registers the consumer of the biller (`companyBillerId`) and asks the biller for the current bill. No bill due: response_code 1 with `statusMessage`.',
          security,
          body: fetchBillBody,
          response: { 200: billFetchResponse, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        return billFetch(
          await service.fetchBill(
            companyOf(request),
            {
              billerId: b.billerId,
              circle: b.circle,
              billParams: b.billParams,
              addBiller: b.addBiller,
              remarks: b.remarks,
              keyContactEmail: b.keyContactEmail,
            },
            scenarioFrom(request),
          ),
        );
      },
    );
  }

  // The money routes complete their Idempotency-Key inside the transaction that creates (and, with auto-debit, debits) the bill.
  const finishWith = (request: FastifyRequest) => async (tx: Parameters<typeof completeIdempotency>[0], p: UtilityPayment) => {
    await completeIdempotency(tx, request, 200, envelope(billAdd(p)));
  };

  api.post<{ Body: CreateAfterFetchBody }>(
    '/v2/utilityPayment',
    {
      config: { scope: 'write', idempotency: 'optional' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.createAfterFetch',
        summary: 'Create a bill after a successful bill fetch',
        description:
          'Creates the utility payment of the last bill fetched for `companyBillerId`. With auto-debit the company balance is debited and the bill paid at once; otherwise it waits for approval.',
        security,
        body: createAfterFetchBody,
        response: { 200: billAddResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const p = await service.createAfterFetch(
        companyOf(request),
        {
          referenceId: b.referenceId,
          companyBillerId: b.companyBillerId,
          billNetAmountPaise: netAmountOf(b),
          billAmountPaise: parseRupees(b.billAmount, { field: 'billAmount' }),
          validationId: b.validationId ?? undefined,
        },
        scenarioFrom(request),
        finishWith(request),
      );
      return envelope(billAdd(p));
    },
  );

  for (const [version, operationId] of [
    ['v2', 'bbps.addBill'],
    ['v0', 'bbps.addBillV0'],
  ] as const) {
    api.post<{ Body: AddBillBody }>(
      `/${version}/biller/addBill`,
      {
        config: { scope: 'write', idempotency: 'optional' },
        schema: {
          tags: [TAG],
          operationId,
          summary: version === 'v2' ? 'Create a bill without bill fetch' : 'Create a bill without bill fetch (older path, same as v2)',
          description: 'For billers whose bill fetch is optional or not supported. With auto-debit the bill is debited and paid at once.',
          security,
          body: addBillBody,
          response: { 200: billAddResponse, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        const companyId = companyOf(request);
        if (b.companyId !== undefined && b.companyId !== companyId) throw new InvalidCompanyIdError('Invalid Company ID', { param: 'companyId' });
        const p = await service.createDirect(
          companyId,
          {
            referenceId: b.referenceId,
            billerId: b.billerId,
            circle: b.circle,
            billParams: b.billParams,
            billAmountPaise: parseRupees(b.billAmount, { field: 'billAmount' }),
            billDate: b.billDate,
            billDueDate: b.billDueDate,
            name: b.name,
            remarks: b.remarks,
            keyContactEmail: b.keyContactEmail ?? b.email,
          },
          scenarioFrom(request),
          finishWith(request),
        );
        return envelope(billAdd(p));
      },
    );
  }

  api.put<{ Body: ApprovalBody }>(
    '/v0/utilityPayment/status',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.approve',
        summary: 'Utility bill approval (maker-checker)',
        description:
          'CHECKER_APPROVED debits the company balance for every bill and sends it to its biller, all or none. Not needed when the company auto-debits.',
        security,
        body: approvalBody,
        response: { 200: approvalResponse, ...errors },
      },
    },
    async (request) => {
      await service.approve(companyOf(request), request.body.utilityPaymentIds, request.body.remarks ?? null, scenarioFrom(request));
      return { response_code: 0, response_message: 'Success', payload: null };
    },
  );

  for (const [version, operationId] of [
    ['v2', 'bbps.status'],
    ['v0', 'bbps.statusV0'],
  ] as const) {
    api.get<{ Params: { utilityEnkashId: string } }>(
      `/${version}/utilityPayment/:utilityEnkashId`,
      {
        config: { scope: 'read' },
        schema: {
          tags: [TAG],
          operationId,
          summary: 'Get utility bill status',
          security,
          params: idParams,
          response: { 200: statusResponse, ...lookupErrors },
        },
      },
      async (request) => envelope(await service.toStatus(await service.get(companyOf(request), request.params.utilityEnkashId))),
    );
  }

  api.get<{ Params: { referenceId: string } }>(
    '/v0/utilityPayment/reference/:referenceId',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.byReference',
        summary: 'Get utility bill by reference id',
        security,
        params: referenceParams,
        response: { 200: statusResponse, ...lookupErrors },
      },
    },
    async (request) => envelope(await service.toStatus(await service.getByReference(companyOf(request), request.params.referenceId))),
  );

  api.post<{ Body: SearchBody }>(
    '/v1/utilityPayment/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.search',
        summary: 'Fetch bulk bill details',
        description: 'Filters are ANDed; newest first; `limit` < 100.',
        security,
        body: searchBody,
        response: { 200: searchResponse, ...errors },
      },
    },
    async (request) => {
      const { offset, limit, fromDate, toDate, ...f } = request.body;
      const page = { offset, limit };
      const { rows, total } = await service.search(
        companyOf(request),
        {
          ...f,
          ...(fromDate ? { createdFrom: istDay(new Date(`${fromDate}T12:00:00Z`)).start } : {}),
          ...(toDate ? { createdBefore: istDay(new Date(`${toDate}T12:00:00Z`)).end } : {}),
        },
        page,
      );
      return envelope(toPage(await Promise.all(rows.map((p) => service.toStatus(p))), total, page));
    },
  );

  api.get(
    '/v0/utilityPayment/settings',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        operationId: 'bbps.settings',
        summary: "Get the company's Bill Payments settings (Tijori extension)",
        description: 'Auto-debit and the per-consumer daily velocity limits; changed with `tijori bbps settings`.',
        security,
        response: { 200: settingsResponse },
      },
    },
    async (request) => {
      const s = await service.settings(companyOf(request));
      return envelope({
        autoDebit: s.autoDebit,
        maxBillsPerConsumerPerDay: s.maxBillsPerConsumerPerDay,
        maxAmountPerConsumerPerDay: formatRupees(s.maxAmountPerConsumerPerDayPaise),
      });
    },
  );
}
