import type { Biller } from './catalogue.js';

/**
 * A recharge plan of a prepaid biller, as `GET /api/v2/biller/prepaidPlan` lists it (reference §4
 * names the "Prepaid Plan (GET)" page; its fields were not captured, so these are INFERRED in the
 * style of Bharat Connect plan APIs: docs/api/bbps.md).
 */
export interface PrepaidPlan {
  planId: string;
  billerId: number;
  /** Rupees, in paise here. */
  amountPaise: bigint;
  /** `28 days`, `1 month`. */
  validity: string;
  category: string;
  description: string;
}

/** The DTH billers' plans: fixed test data, so a listing is the same on every run. */
const PLANS: readonly PrepaidPlan[] = [
  { planId: 'PLN6001M1', billerId: 6001, amountPaise: 299_00n, validity: '1 month', category: 'BASE_PACK', description: 'Hindi Basic: 150 channels' },
  {
    planId: 'PLN6001M3',
    billerId: 6001,
    amountPaise: 849_00n,
    validity: '3 months',
    category: 'BASE_PACK',
    description: 'Hindi Basic: 150 channels, quarterly',
  },
  { planId: 'PLN6001HD', billerId: 6001, amountPaise: 499_00n, validity: '1 month', category: 'ADD_ON', description: 'HD add-on: 60 HD channels' },
  { planId: 'PLN6002M1', billerId: 6002, amountPaise: 249_00n, validity: '1 month', category: 'BASE_PACK', description: 'Super Family: 200 channels' },
  {
    planId: 'PLN6002Y1',
    billerId: 6002,
    amountPaise: 2_599_00n,
    validity: '12 months',
    category: 'BASE_PACK',
    description: 'Super Family: 200 channels, yearly',
  },
];

/** The plans of a biller (none for a biller that takes bills rather than recharges), cheapest first. */
export function prepaidPlansOf(biller: Pick<Biller, 'billerId'>, category?: string): PrepaidPlan[] {
  return PLANS.filter((p) => p.billerId === biller.billerId && (category === undefined || p.category === category)).sort((a, b) =>
    a.amountPaise < b.amountPaise ? -1 : a.amountPaise > b.amountPaise ? 1 : 0,
  );
}
