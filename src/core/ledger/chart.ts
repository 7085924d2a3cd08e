import type { Currency } from '../money/money.js';
import type { AccountType } from './model.js';
import { invariant } from './model.js';

/**
 * The chart of accounts and the list of transaction codes (docs/ledger.md explains each line).
 *
 * An account code is a chart code, optionally followed by `:<qualifier>` for one account per rail
 * or per owner (`clearing:upi`, `points_liability:cus_01J…`). The chart fixes the type, currency
 * and limits of every account of that code, so two products can never open the same account with
 * different rules. Both lists are closed: a product that needs a new account or code adds a line
 * here and a row to docs/ledger.md (a test keeps the two in step), in the same review as the
 * product code that posts it.
 */
export interface ChartAccount {
  name: string;
  type: AccountType;
  currency: Currency;
  /** May the available balance go below zero? Only accounts that stand for the outside world may. */
  allowNegative: boolean;
  /** A code that takes a `:qualifier` (per rail, per owner) and never stands alone. */
  qualified?: boolean;
}

export const CHART = {
  merchant_available: {
    name: 'Merchant available balance',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
  },
  merchant_pending_settlement: {
    name: 'Merchant balance pending settlement',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
  },
  payout_float: {
    name: 'Payout float (prefunded for payouts)',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
  },
  fees_revenue: {
    name: 'Fees revenue',
    type: 'revenue',
    currency: 'INR',
    allowNegative: false,
  },
  gst_payable: {
    name: 'GST payable on fees',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
  },
  clearing: {
    name: 'External clearing',
    type: 'asset',
    currency: 'INR',
    allowNegative: true,
    qualified: true,
  },
  sandbox_funding: {
    name: 'Sandbox funding (test money)',
    type: 'equity',
    currency: 'INR',
    allowNegative: true,
  },
  points_liability: {
    name: 'Loyalty points owed',
    type: 'liability',
    currency: 'PTS',
    allowNegative: false,
    qualified: true,
  },
  points_clearing: {
    name: 'Loyalty points issued and retired',
    type: 'equity',
    currency: 'PTS',
    allowNegative: true,
  },
  merchant_settlement_receivable: {
    name: 'Owed by the merchant: refunds and carried-forward settlements not yet recovered',
    type: 'asset',
    currency: 'INR',
    allowNegative: false,
  },
  refund_payable: {
    name: 'Refunds owed to customers, in transit on the rail',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
  },
  split_payable: {
    name: 'Split-settlement shares owed to a vendor account',
    type: 'liability',
    currency: 'INR',
    allowNegative: false,
    qualified: true,
  },
} as const satisfies Record<string, ChartAccount>;

export type ChartCode = keyof typeof CHART;

/** The rails whose clearing accounts every company gets (`clearing:<rail>`). */
export const RAILS = ['card', 'upi', 'netbanking', 'wallet', 'bank_transfer', 'bbps', 'b2b'] as const;

/** What a company has from the start: provisioned by `ledger.provision(tx, companyId)`. */
export const DEFAULT_ACCOUNTS: readonly string[] = [
  'merchant_available',
  'merchant_pending_settlement',
  'payout_float',
  'fees_revenue',
  'gst_payable',
  'sandbox_funding',
  'points_clearing',
  ...RAILS.map((rail) => `clearing:${rail}`),
];

/** The why of every transaction and hold (TigerBeetle's `code`). */
export const TRANSACTION_CODES = [
  'payment_capture',
  'late_payment',
  'refund',
  'fee',
  'settlement',
  'payout',
  'payout_return',
  'invoice_payment',
  'bill_payment',
  'wallet_load',
  'points_issue',
  'points_redeem',
  'points_expire',
  'sandbox_funding',
  'adjustment',
  'reversal',
  'virtual_account_credit',
] as const;

export type TransactionCode = (typeof TRANSACTION_CODES)[number];

export function isTransactionCode(code: string): code is TransactionCode {
  return (TRANSACTION_CODES as readonly string[]).includes(code);
}

/** The chart line of an account code (`clearing:upi` → `clearing`); a code outside the chart is a bug. */
export function chartAccount(code: string): ChartAccount & { chartCode: ChartCode } {
  const [base, qualifier] = code.split(':', 2) as [string, string | undefined];
  invariant(Object.hasOwn(CHART, base), `account code ${code} is not in the chart of accounts (core/ledger/chart.ts)`);
  const entry: ChartAccount = CHART[base as ChartCode];
  invariant(!entry.qualified || qualifier !== undefined, `account code ${base} needs a qualifier (${base}:<rail or owner>)`);
  return { ...entry, chartCode: base as ChartCode };
}
