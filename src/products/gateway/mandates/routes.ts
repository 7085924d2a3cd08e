import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Executor } from '../../../core/db/engine.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import { envelope } from '../../../core/http/envelope.js';
import { completeIdempotency } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { scenarioFrom } from '../../../rails/scenario.js';
import type { Mandate, RecurrencePeriod, RecurrenceRule, AmountRule } from './model.js';
import {
  createMandateBody,
  debitParams,
  debitResponse,
  errors,
  executeBody,
  mandateParams,
  mandateResponse,
  notificationResponse,
  notifyBody,
  pauseBody,
  updateMandateBody,
} from './schemas.js';
import type { MandatesService } from './service.js';
import { wireDebit, wireMandate, wireNotification } from './wire.js';

const TAG = ['Payment Gateway: UPI mandates'];

interface CreateBody {
  referenceId: string;
  amount: number;
  amountRule: AmountRule;
  payer: { name?: string; vpa: string; account?: string; accountValidation?: boolean };
  mandateName: string;
  expiry: string;
  blockFund?: boolean;
  revokeableByPayer?: boolean;
  recurrence: { period: RecurrencePeriod; rule?: RecurrenceRule; value?: number };
  validity: { startAt: string | number; endAt: string | number };
  upiReferenceUrl?: string;
  description?: string;
  notifyUrl?: string;
}

/**
 * A schema-valid date-time, or epoch milliseconds (the callback's form of `validity`, reference
 * §2.9), as an instant; years outside 1970–9999 are refused (PostgreSQL has no year 0).
 */
function instant(value: string | number, param: string): Date {
  const at = new Date(value);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1970 || year > 9999)
    throw new ValidationError(`Invalid field ${param}: not a date-time between 1970 and 9999`, { param });
  return at;
}

const companyOf = (request: FastifyRequest) => request.principal!.companyId;
const idOf = (request: FastifyRequest) => (request.params as { mandateId: string }).mandateId;
/** Completes the Idempotency-Key (POSTs) with the mandate answer, in the change's transaction. */
const finishWith = (request: FastifyRequest) => (tx: Executor, m: Mandate) =>
  completeIdempotency(tx, request, 200, envelope(wireMandate(m))).then(() => undefined);

/** UPI Autopay routes under /api, gateway scope (reference §2.9). */
export function registerMandateRoutes(app: FastifyInstance, mandates: MandatesService): void {
  const create = async (request: FastifyRequest) => {
    const b = request.body as CreateBody;
    const input = {
      ...b,
      amountPaise: BigInt(b.amount) * 100n,
      expiry: instant(b.expiry, 'expiry'),
      validity: { startAt: instant(b.validity.startAt, 'validity.startAt'), endAt: instant(b.validity.endAt, 'validity.endAt') },
    };
    return envelope(wireMandate(await mandates.create(companyOf(request), input, scenarioFrom(request), finishWith(request))));
  };
  const createSchema = { tags: TAG, body: createMandateBody, response: { 200: mandateResponse, ...errors } };
  app.post('/v0/upi-mandate', { schema: { ...createSchema, summary: 'Create UPI Mandate' } }, create);
  app.post('/v0/upi-autopay/mandates', { schema: { ...createSchema, summary: 'Create UPI Mandate (older path)' } }, create);

  app.get(
    '/v0/upi-mandate/:mandateId',
    { schema: { tags: TAG, summary: 'Get UPI Mandate', params: mandateParams, response: { 200: mandateResponse, ...errors } } },
    async (request) => envelope(wireMandate(await mandates.get(companyOf(request), idOf(request)))),
  );

  app.patch(
    '/v0/upi-mandate/:mandateId',
    { schema: { tags: TAG, summary: 'Update UPI Mandate', params: mandateParams, body: updateMandateBody, response: { 200: mandateResponse, ...errors } } },
    async (request) => {
      const b = request.body as { amount?: number; validity?: { endAt: string | number } };
      const input = {
        amountPaise: b.amount === undefined ? undefined : BigInt(b.amount) * 100n,
        validityEndAt: b.validity ? instant(b.validity.endAt, 'validity.endAt') : undefined,
      };
      return envelope(wireMandate(await mandates.update(companyOf(request), idOf(request), input)));
    },
  );

  app.patch(
    '/v0/upi-mandate/:mandateId/pause',
    { schema: { tags: TAG, summary: 'Pause UPI Mandate', params: mandateParams, body: pauseBody, response: { 200: mandateResponse, ...errors } } },
    async (request) => {
      const { pausePeriod } = request.body as { pausePeriod: { startAt: string; endAt: string } };
      return envelope(
        wireMandate(
          await mandates.pause(companyOf(request), idOf(request), {
            startAt: instant(pausePeriod.startAt, 'pausePeriod.startAt'),
            endAt: instant(pausePeriod.endAt, 'pausePeriod.endAt'),
          }),
        ),
      );
    },
  );

  for (const path of ['resume', 'unpause']) {
    app.patch(
      `/v0/upi-mandate/:mandateId/${path}`,
      { schema: { tags: TAG, summary: `Resume UPI Mandate (${path})`, params: mandateParams, response: { 200: mandateResponse, ...errors } } },
      async (request) => envelope(wireMandate(await mandates.resume(companyOf(request), idOf(request)))),
    );
  }

  app.patch(
    '/v0/upi-mandate/:mandateId/revoke',
    { schema: { tags: TAG, summary: 'Revoke UPI Mandate', params: mandateParams, response: { 200: mandateResponse, ...errors } } },
    async (request) => envelope(wireMandate(await mandates.revoke(companyOf(request), idOf(request)))),
  );

  app.post(
    '/v0/upi-mandate/notify',
    { schema: { tags: TAG, summary: 'Mandate Pre-debit Notification', body: notifyBody, response: { 200: notificationResponse, ...errors } } },
    async (request) => {
      const b = request.body as { mandateId: string; amount: number; executionDate: string };
      const { notification } = await mandates.debits.notify(
        companyOf(request),
        { mandateId: b.mandateId, amountPaise: parseRupees(b.amount), executionAt: instant(b.executionDate, 'executionDate') },
        (tx, n) => completeIdempotency(tx, request, 200, envelope(wireNotification(n))).then(() => undefined),
      );
      return envelope(wireNotification(notification));
    },
  );

  app.post(
    '/v0/upi-mandate/execute',
    { schema: { tags: TAG, summary: 'Execute Mandate Debit', body: executeBody, response: { 200: debitResponse, ...errors } } },
    async (request) => {
      const b = request.body as { mandateId: string; amount: number; referenceId: string; notificationId?: string };
      const { debit, mandate } = await mandates.debits.execute(companyOf(request), { ...b, amountPaise: parseRupees(b.amount) }, scenarioFrom(request));
      return envelope(wireDebit(debit, mandate.umn ?? ''));
    },
  );

  app.get(
    '/v0/upi-mandate/debit/:debitId',
    { schema: { tags: TAG, summary: 'Get Mandate Debit', params: debitParams, response: { 200: debitResponse, ...errors } } },
    async (request) => {
      const { debit, mandate } = await mandates.debits.getDebit(companyOf(request), (request.params as { debitId: string }).debitId);
      return envelope(wireDebit(debit, mandate.umn ?? ''));
    },
  );
}
