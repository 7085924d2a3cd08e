import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageSchema } from '../../../core/http/pagination.js';
import { SettlementPayload } from './events.js';
import { PAYOUT_STATUSES } from './model.js';

// Route schemas of the settlement APIs (reference §2.6, CONFIRMED paths; docs/api/gateway-refunds-settlements.md).

/** Settlement search takes up to 5000 rows a page (reference §1.7, CONFIRMED). */
export const MAX_SETTLEMENT_PAGE = 5000;

export const settlementParams = {
  type: 'object',
  required: ['settlementPayoutId'],
  properties: { settlementPayoutId: { type: 'string', maxLength: 64 } },
} as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_SETTLEMENT_PAGE, default: 20 },
    orderBy: {
      type: 'string',
      default: 'createdOn',
      description:
        'createdOn, settlementDate, settlementPayoutId, totalSaleAmount, totalRefundAmount, totalCharges, totalGst, totalSettlementAmount, carryForwardAmount or payoutStatus',
    },
    direction: { type: 'string', enum: ['ASC', 'DESC'], default: 'DESC' },
  },
} as const;

const rupeeFilter = { type: 'number', minimum: 0, maximum: 9_999_999_999_999.99 } as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/** The range filters of the body: wire prefix → the sort column it filters. */
export const RANGE_FILTERS = {
  totalSaleAmount: 'totalSaleAmount',
  totalRefundAmount: 'totalRefundAmount',
  totalCharges: 'totalCharges',
  totalGst: 'totalGst',
  totalSettlementAmount: 'totalSettlementAmount',
} as const;

export const searchBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    merchantDetailId: { type: 'string', maxLength: 64, description: "The company id; another company's id matches nothing" },
    settlementPayoutId: { type: 'string', maxLength: 64 },
    settlementPayoutIds: { type: 'array', maxItems: 5000, items: { type: 'string', maxLength: 64 } },
    ...Object.fromEntries(
      Object.keys(RANGE_FILTERS).flatMap((name) => [
        [`${name}From`, rupeeFilter],
        [`${name}To`, rupeeFilter],
      ]),
    ),
    payoutStatus: { type: 'string', enum: PAYOUT_STATUSES },
    splitAccountId: { type: 'string', maxLength: 64, description: "Tijori: settlements of one split account; MERCHANT for the merchant's own" },
    settlementDateFrom: date,
    settlementDateTo: date,
  },
} as const;

export const settlementResponse = envelopeSchema(SettlementPayload);
export const searchResponse = envelopeSchema(pageSchema(SettlementPayload));
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema } as const;
