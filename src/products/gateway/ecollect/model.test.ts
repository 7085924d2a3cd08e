import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../rails/bank-transfer/rules.js';
import { amountRulesProblem, creditRejection, effectiveStatus, newAccountNumber, vpaOf, type CreditAttempt, type VirtualAccount } from './model.js';

const now = new Date('2026-01-01T00:00:00Z');
const account = (over: Partial<VirtualAccount> = {}): VirtualAccount => ({
  id: 'VAC1',
  companyId: 'CEK1GZBO6A',
  referenceId: 'R1',
  accountNumber: '8800123456789012',
  ifsc: 'YESB0000001',
  vpa: 'ecol.8800123456789012@enkash',
  customerName: 'Asha',
  customerEmail: null,
  customerMobile: null,
  description: null,
  amountRule: 'ANY',
  amountPaise: null,
  minAmountPaise: null,
  maxAmountPaise: null,
  allowedModes: ['NEFT', 'IMPS', 'RTGS', 'UPI'],
  allowedRemitters: [],
  closeBy: null,
  notifyUrl: null,
  status: 'ACTIVE',
  closedAt: null,
  creditedPaise: 0n,
  creditCount: 0,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const attempt: CreditAttempt = { mode: 'IMPS', amountPaise: 10_000n, remitterAccount: '50100012345678', remitterIfsc: 'HDFC0000001' };

describe('e-collect model', () => {
  it('issues 16-digit account numbers with the sandbox prefix and their VPA', () => {
    const n = newAccountNumber();
    expect(n).toMatch(/^8800\d{12}$/);
    expect(vpaOf(n)).toBe(`ecol.${n}@enkash`);
  });

  it('checks the shape of amount rules', () => {
    const rules = (amountRule: 'ANY' | 'EXACT' | 'RANGE', a: bigint | null, min: bigint | null, max: bigint | null) =>
      amountRulesProblem({ amountRule, amountPaise: a, minAmountPaise: min, maxAmountPaise: max })?.param ?? null;
    expect(rules('ANY', null, null, null)).toBeNull();
    expect(rules('ANY', null, 1n, null)).toBe('minAmount');
    expect(rules('EXACT', 100n, null, null)).toBeNull();
    expect(rules('EXACT', null, null, null)).toBe('amount');
    expect(rules('RANGE', null, null, 5n)).toBeNull();
    expect(rules('RANGE', null, 6n, 5n)).toBe('maxAmount');
    expect(rules('RANGE', 1n, 1n, 5n)).toBe('amount');
  });

  it('reads CLOSED when closed or at closeBy on the sandbox clock', () => {
    expect(effectiveStatus(account(), now)).toBe('ACTIVE');
    expect(effectiveStatus(account({ closeBy: now }), now)).toBe('CLOSED');
    expect(effectiveStatus(account({ closeBy: new Date(now.getTime() + 1) }), now)).toBe('ACTIVE');
    expect(effectiveStatus(account({ status: 'CLOSED' }), now)).toBe('CLOSED');
  });

  it('returns a credit for the first rule it breaks, and credits one that breaks none', () => {
    expect(creditRejection(account(), attempt, now, DEFAULT_LIMITS)).toBeNull();
    const reason = (over: Partial<VirtualAccount>, a: Partial<typeof attempt> = {}) =>
      creditRejection(account(over), { ...attempt, ...a }, now, DEFAULT_LIMITS)?.reason;
    expect(reason({ status: 'CLOSED', closeBy: now })).toBe('account_closed');
    expect(reason({ closeBy: now, allowedModes: ['NEFT'] })).toBe('account_expired');
    expect(reason({ allowedModes: ['NEFT'] }, { amountPaise: 50n })).toBe('mode_not_allowed');
    expect(reason({ amountRule: 'EXACT', amountPaise: 1n }, { mode: 'RTGS' })).toBe('mode_limit');
    expect(reason({ amountRule: 'EXACT', amountPaise: 10_001n })).toBe('amount_mismatch');
    expect(reason({ amountRule: 'RANGE', minAmountPaise: 10_001n, maxAmountPaise: null })).toBe('amount_below_minimum');
    expect(reason({ amountRule: 'RANGE', minAmountPaise: null, maxAmountPaise: 9_999n })).toBe('amount_above_maximum');
    expect(reason({ allowedRemitters: [{ accountNumber: '50100012345678', ifsc: 'ICIC0000001' }] })).toBe('remitter_not_allowed');
    expect(reason({ allowedRemitters: [{ accountNumber: '50100012345678', ifsc: 'HDFC0000001' }] })).toBeUndefined();
  });
});
