import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART, chartAccount, DEFAULT_ACCOUNTS, RAILS, TRANSACTION_CODES } from './chart.js';
import { assertBalanced, balanceFrom, LedgerInvariantError, normalBalanceOf } from './model.js';

// The chart is a closed list that products extend by a reviewed change: docs/ledger.md must name
// every account code and transaction code, and nothing that the chart does not have.

const doc = fs.readFileSync('docs/ledger.md', 'utf8');
const section = (title: string) => doc.split(`${title}\n`)[1]!.split('\n#')[0]!;
const firstColumn = (text: string) => [...text.matchAll(/^\| `([a-z_]+)(?::<[a-z]+>)?`/gm)].map((m) => m[1]!);

describe('chart of accounts', () => {
  it("docs/ledger.md lists exactly the chart's account codes, with their rules", () => {
    const table = section('## Chart of accounts');
    expect(firstColumn(table)).toEqual(Object.keys(CHART));
    for (const [code, entry] of Object.entries(CHART)) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${code}`))!;
      expect(row, code).toContain(`| ${entry.type} | ${entry.currency} | ${entry.allowNegative ? 'yes' : 'no'} |`);
    }
    for (const rail of RAILS) expect(table).toContain(`\`${rail}\``);
  });

  it('docs/ledger.md lists exactly the transaction codes', () => {
    const table = section('### Transaction codes');
    const documented = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z_]+)`/g)].map((c) => c[1]!));
    expect(documented.sort()).toEqual([...TRANSACTION_CODES].sort());
  });

  it('resolves qualified codes and refuses the rest as bugs', () => {
    expect(chartAccount('clearing:upi')).toMatchObject({ chartCode: 'clearing', type: 'asset', allowNegative: true });
    expect(chartAccount('merchant_available').chartCode).toBe('merchant_available');
    expect(() => chartAccount('clearing')).toThrow(LedgerInvariantError);
    expect(() => chartAccount('cash')).toThrow(LedgerInvariantError);
    expect(() => chartAccount('toString')).toThrow(LedgerInvariantError);
    expect(DEFAULT_ACCOUNTS).toContain('clearing:bank_transfer');
  });
});

describe('balances and the balance assertion', () => {
  it('reads balances on the normal side', () => {
    expect(normalBalanceOf('asset')).toBe('debit');
    expect(normalBalanceOf('expense')).toBe('debit');
    expect(normalBalanceOf('liability')).toBe('credit');
    const totals = { debitsPosted: 100n, creditsPosted: 500n, debitsPending: 30n, creditsPending: 7n };
    expect(balanceFrom('la_x', 'INR', 'credit', totals, null)).toMatchObject({ posted: 400n, pending: 30n, pendingInflow: 7n, available: 370n });
    expect(balanceFrom('la_x', 'INR', 'debit', totals, null)).toMatchObject({ posted: -400n, pending: 7n, pendingInflow: 30n, available: -407n });
  });

  it('asserts at least two positive postings that sum to zero per currency', () => {
    const p = (direction: 'debit' | 'credit', amount: bigint, currency: 'INR' | 'PTS' = 'INR') => ({ accountId: 'la_x', direction, amount, currency });
    expect(() => assertBalanced([p('debit', 5n), p('credit', 3n), p('credit', 2n)])).not.toThrow();
    expect(() => assertBalanced([p('debit', 5n), p('credit', 5n), p('debit', 1n, 'PTS'), p('credit', 1n, 'PTS')])).not.toThrow();
    expect(() => assertBalanced([p('debit', 5n), p('credit', 4n)])).toThrow(/unbalanced/);
    expect(() => assertBalanced([p('debit', 5n), p('credit', 5n, 'PTS')])).toThrow(/unbalanced/);
    expect(() => assertBalanced([p('debit', 0n), p('credit', 0n)])).toThrow(/positive/);
    expect(() => assertBalanced([p('debit', -1n), p('credit', -1n)])).toThrow(/positive/);
    expect(() => assertBalanced([p('debit', 1n)])).toThrow(/at least two/);
  });
});
