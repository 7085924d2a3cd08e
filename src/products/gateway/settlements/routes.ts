import type { FastifyInstance } from 'fastify';
import { envelope } from '../../../core/http/envelope.js';
import { toPage } from '../../../core/http/pagination.js';
import { parseRupees } from '../../../core/money/index.js';
import { InvalidSettlementSearchError } from './errors.js';
import { SETTLEMENT_SORT, type SettlementFilters } from './repository.js';
import { errors, RANGE_FILTERS, searchBody, searchQuery, searchResponse, settlementParams, settlementResponse } from './schemas.js';
import { wireSettlement, type SettlementsService } from './service.js';

const TAG = ['Payment Gateway: settlements'];

type SearchBody = Record<string, unknown> & {
  merchantDetailId?: string;
  settlementPayoutId?: string;
  settlementPayoutIds?: string[];
  payoutStatus?: string;
  splitAccountId?: string;
  settlementDateFrom?: string;
  settlementDateTo?: string;
};

/** Turns the §2.6 body into filters; `merchantDetailId` of another company matches nothing. */
function filtersFrom(companyId: string, body: SearchBody): SettlementFilters {
  let ids = body.settlementPayoutIds;
  if (body.settlementPayoutId !== undefined) ids = ids ? ids.filter((id) => id === body.settlementPayoutId) : [body.settlementPayoutId];
  if (body.merchantDetailId !== undefined && body.merchantDetailId !== companyId) ids = [];
  const ranges: SettlementFilters['ranges'] = [];
  for (const [name, column] of Object.entries(RANGE_FILTERS)) {
    const from = body[`${name}From`] as number | undefined;
    const to = body[`${name}To`] as number | undefined;
    const fromPaise = from === undefined ? undefined : parseRupees(from, { field: `${name}From`, allowZero: true });
    const toPaise = to === undefined ? undefined : parseRupees(to, { field: `${name}To`, allowZero: true });
    if (fromPaise !== undefined && toPaise !== undefined && fromPaise > toPaise) {
      throw new InvalidSettlementSearchError(`${name}From is above ${name}To`, { param: `${name}From` });
    }
    if (fromPaise !== undefined || toPaise !== undefined) ranges.push({ column, from: fromPaise, to: toPaise });
  }
  if (body.settlementDateFrom && body.settlementDateTo && body.settlementDateFrom > body.settlementDateTo) {
    throw new InvalidSettlementSearchError('settlementDateFrom is after settlementDateTo', { param: 'settlementDateFrom' });
  }
  return {
    ids,
    beneficiary: body.splitAccountId,
    payoutStatus: body.payoutStatus,
    batchDateFrom: body.settlementDateFrom,
    batchDateTo: body.settlementDateTo,
    ranges,
  };
}

/** Settlement routes under /api (reference §2.6). */
export function registerSettlementRoutes(app: FastifyInstance, settlements: SettlementsService): void {
  app.get(
    '/v0/settlement-payout/:settlementPayoutId',
    {
      schema: { tags: TAG, summary: 'Get Settlement Payout By ID', params: settlementParams, response: { 200: settlementResponse, ...errors } },
    },
    async (request) => {
      const { settlementPayoutId } = request.params as { settlementPayoutId: string };
      return envelope(wireSettlement(await settlements.get(request.principal!.companyId, settlementPayoutId)));
    },
  );

  // A search reads only, so Idempotency-Key means nothing here.
  app.post(
    '/v0/settlement-payout/search',
    {
      config: { idempotency: 'off' },
      schema: { tags: TAG, summary: 'Search Settlement Payouts', querystring: searchQuery, body: searchBody, response: { 200: searchResponse, ...errors } },
    },
    async (request) => {
      const companyId = request.principal!.companyId;
      const query = request.query as { offset: number; limit: number; orderBy: string; direction: 'ASC' | 'DESC' };
      if (!Object.hasOwn(SETTLEMENT_SORT, query.orderBy)) {
        throw new InvalidSettlementSearchError(`Invalid orderBy ${query.orderBy}: must be one of ${Object.keys(SETTLEMENT_SORT).join(', ')}`, {
          param: 'orderBy',
        });
      }
      const page = { offset: query.offset, limit: query.limit };
      const { rows, total } = await settlements.search(companyId, {
        ...filtersFrom(companyId, (request.body ?? {}) as SearchBody),
        ...page,
        orderBy: query.orderBy as keyof typeof SETTLEMENT_SORT,
        direction: query.direction,
      });
      return envelope(toPage(rows.map(wireSettlement), total, page));
    },
  );
}
