import { randomChars } from '../../../core/ids/ids.js';
import { parseRupees } from '../../../core/money/index.js';

/** Split-settlement account statuses (§2.7: activate / deactivate). */
export const SPLIT_ACCOUNT_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type SplitAccountStatus = (typeof SPLIT_ACCOUNT_STATUSES)[number];

export interface SplitAccount {
  id: string;
  companyId: string;
  name: string;
  accountNumber: string;
  ifsc: string;
  email: string | null;
  mobile: string | null;
  status: SplitAccountStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** One share of a payment routed to a split account at settlement (`splitDetails[]`, §2.7). */
export interface SplitShare {
  accountId: string;
  amountPaise: bigint;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Ids in the style of EnKash's order id (reference §12: `ORD` + epoch ms + 5 letters/digits):
 * split accounts `SPA…`, refunds `RFD…`, settlement payouts `STL…`, virtual accounts `VAC…` and
 * their credits `VCR…`.
 */
export function gatewayId(prefix: 'SPA' | 'RFD' | 'STL' | 'VAC' | 'VCR', at: Date): string {
  return `${prefix}${at.getTime()}${randomChars(ALNUM, 5)}`;
}

/** `splitDetails[]` as sent (rupees, a number or a string) as shares in paise. @throws invalid_amount naming the share */
export function parseSplitDetails(details: readonly { accountId: string; amount: number | string }[]): SplitShare[] {
  return details.map((d, i) => ({ accountId: d.accountId, amountPaise: parseRupees(d.amount, { field: `splitDetails[${i}].amount` }) }));
}

/** The same shares in the same order. */
export function sameShares(a: readonly SplitShare[], b: readonly SplitShare[]): boolean {
  return a.length === b.length && a.every((s, i) => s.accountId === b[i]!.accountId && s.amountPaise === b[i]!.amountPaise);
}

/** Why a split is refused, before the accounts are looked up. Null when the shape is valid. */
export function splitShapeProblem(shares: readonly SplitShare[], amountPaise: bigint): string | null {
  const seen = new Set<string>();
  for (const [i, share] of shares.entries()) {
    if (share.amountPaise <= 0n) return `splitDetails[${i}].amount must be positive`;
    if (seen.has(share.accountId)) return `splitDetails[${i}].accountId ${share.accountId} appears more than once`;
    seen.add(share.accountId);
  }
  const total = shares.reduce((sum, s) => sum + s.amountPaise, 0n);
  if (total > amountPaise) return 'The split amounts add up to more than the payment amount';
  return null;
}

/** What the merchant keeps of a payment after its split shares. */
export function merchantShare(amountPaise: bigint, shares: readonly SplitShare[]): bigint {
  return amountPaise - shares.reduce((sum, s) => sum + s.amountPaise, 0n);
}

/** The `splitDetails` jsonb of a payment row: `[{accountId, amountPaise: "<digits>"}]`. */
export interface StoredSplit {
  accountId: string;
  amountPaise: string;
}

export function toStoredSplit(shares: readonly SplitShare[]): StoredSplit[] {
  return shares.map((s) => ({ accountId: s.accountId, amountPaise: s.amountPaise.toString() }));
}

export function fromStoredSplit(stored: unknown): SplitShare[] {
  if (!Array.isArray(stored)) return [];
  return (stored as StoredSplit[]).map((s) => ({ accountId: s.accountId, amountPaise: BigInt(s.amountPaise) }));
}
