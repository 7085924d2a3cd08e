import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../core/db/transaction.js';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import type { Rails } from './index.js';
import { describePlan, type ImmediateStatus, type OutcomePlan } from './outcome.js';
import { RAIL_TEST_DATA } from './registry.js';
import { sandboxTestData } from '../sandbox-test-data.js';
import { REGENERATE_COMMAND, renderSandboxDoc } from '../sandbox-doc.js';
import { bankAccountHolder } from './registries/index.js';
import type { MagicValue } from './test-data.js';
import type { RailCall } from './types.js';

const COMPANY = 'CEK1GZBO6A';

/**
 * The doc cannot lie: every magic value of every rail goes through the app's own rails, and the
 * outcome line is rebuilt from what the rail answered and the timers it wrote to sandbox_timers.
 */
describe('every documented magic value produces its documented outcome', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  let n = 0;
  async function observe(rail: string, v: MagicValue): Promise<string> {
    const rails: Rails = t.services.rails;
    const start = (await t.services.clocks.now(COMPANY)).getTime();
    const call: RailCall = { companyId: COMPANY, attemptRef: `att_${++n}`, replyTo: 'doc.check', exec: t.database.db };
    const scheduled = async () => {
      const rows = await queryRows<{ due_at: string | Date; payload: string }>(
        t.database.db,
        sql`select due_at, payload from sandbox_timers where company_id = ${COMPANY} and kind like 'rails.%' order by due_at, seq`,
      );
      return rows
        .map((r) => ({ dueAt: new Date(r.due_at), payload: JSON.parse(r.payload) as { attemptRef: string; status: 'succeeded'; reasonCode?: string } }))
        .filter((r) => r.payload.attemptRef === call.attemptRef);
    };
    const describeRun = async (immediate: ImmediateStatus, reasonCode: string | undefined, webhookDuplicate: boolean) => {
      const plan: OutcomePlan = {
        immediate,
        ...(reasonCode === undefined ? {} : { reasonCode }),
        later: (await scheduled()).map((r) => ({
          afterMs: r.dueAt.getTime() - start,
          status: r.payload.status,
          ...(r.payload.reasonCode ? { reasonCode: r.payload.reasonCode } : {}),
        })),
        webhookDuplicate,
      };
      return describePlan(plan);
    };
    const key = `${rail} ${v.operation}`;
    switch (key) {
      case 'card authorize': {
        const cvv = v.value.startsWith('37') ? '1234' : '123';
        const r = await rails.card.authorize(call, { card: { cardNumber: v.value, expiry: '12/30', cvv }, amountPaise: 10_000n });
        if (r.status === 'otp_required') {
          const after = await rails.card.submitOtp(call, { authenticationId: r.authenticationId!, otp: '123456' });
          return `otp required; after the OTP: ${await describeRun(after.status as ImmediateStatus, after.reasonCode, after.webhookDuplicate)}`;
        }
        if (r.status === 'challenge_required') {
          const after = await rails.card.completeChallenge(call, { authenticationId: r.authenticationId!, passed: true });
          return `3-D Secure challenge; after the challenge: ${await describeRun(after.status as ImmediateStatus, after.reasonCode, after.webhookDuplicate)}`;
        }
        return describeRun(r.status, r.reasonCode, r.webhookDuplicate);
      }
      case 'card submitOtp': {
        const r = await rails.card.authorize(call, { card: { cardNumber: '6521555555555556', expiry: '12/30', cvv: '123' }, amountPaise: 100n });
        const wrong = await rails.card.submitOtp(call, { authenticationId: r.authenticationId!, otp: '654321' });
        expect(wrong.reasonCode).toBe('incorrect_otp');
        const ok = await rails.card.submitOtp(call, { authenticationId: r.authenticationId!, otp: v.value });
        return ok.status === 'succeeded' ? 'authentication succeeded' : `authentication ${ok.status}`;
      }
      case 'upi collect': {
        const r = await rails.upi.collect(call, { payerVpa: v.value, amountPaise: 10_000n });
        return describeRun(r.status, r.reasonCode, r.webhookDuplicate);
      }
      case 'upi verifyVpa': {
        const r = await rails.upi.verifyVpa(v.value);
        return r.exists ? `exists (${r.name})` : 'does not exist';
      }
      case 'upi requestMandateApproval': {
        const r = await rails.upi.requestMandateApproval(call, { payerVpa: v.value, amountPaise: 254_000n });
        return describeRun(r.status, undefined, false);
      }
      case 'netbanking pay': {
        const r = await rails.netbanking.pay(call, { bankCode: v.value, amountPaise: 10_000n });
        return describeRun(r.status, r.reasonCode, r.webhookDuplicate);
      }
      case 'wallet pay': {
        const r = await rails.wallet.pay(call, { walletCode: v.value, amountPaise: 10_000n });
        return describeRun(r.status, r.reasonCode, r.webhookDuplicate);
      }
      case 'bank_transfer transfer': {
        const isVpa = v.kind === 'vpa';
        const r = await rails.bankTransfer.transfer(call, {
          mode: isVpa ? 'UPI' : 'IMPS',
          amountPaise: 50_000_00n,
          beneficiary: isVpa ? { vpa: v.value } : { accountNumber: v.value, ifsc: 'HDFC0000001' },
        });
        expect(r.status).not.toBe('rejected');
        return describeRun(r.status as ImmediateStatus, r.reasonCode, r.webhookDuplicate);
      }
      case 'registries lookupIfsc': {
        const r = await rails.registries.lookupIfsc(v.value);
        return r.outcome === 'found' ? `found: ${r.record.bank}${r.record.branch ? `, ${r.record.branch}` : ''}` : 'not found';
      }
      case 'registries verifyPan': {
        const r = await rails.registries.verifyPan(v.value);
        return r.outcome === 'found' ? `found: ${r.record.status} (${r.record.name})` : 'not found';
      }
      case 'registries verifyGstin': {
        const r = await rails.registries.verifyGstin(v.value);
        return r.outcome === 'found' ? `found: ${r.record.status} (${r.record.legalName})` : 'not found';
      }
      case 'registries verifyCin': {
        const r = await rails.registries.verifyCin(v.value, { now: new Date(start) });
        return r.outcome === 'found' ? `found: ${r.record.status} (${r.record.name})` : 'not found';
      }
      case 'registries bankAccountHolder': {
        const r = bankAccountHolder(v.value);
        return r.nameAtBank ? `${r.status} (${r.nameAtBank})` : r.status;
      }
      case 'registries verifyLlpin': {
        const r = await rails.registries.verifyLlpin(v.value);
        return r.outcome === 'found' ? `found: ${r.record.status} (${r.record.name})` : 'not found';
      }
      case 'bbps fetchBill': {
        const r = await rails.bbps.fetchBill(call, { billerId: 1001, circle: 'MAH', billParams: { cn: v.value } });
        if (r.outcome === 'no_bill_due') return 'no bill due';
        if (r.outcome === 'no_answer') return 'no answer (biller unavailable)';
        if (r.outcome === 'invalid_consumer') return 'invalid consumer number';
        const days = Math.round((Date.parse(r.bill.dueDate) - Date.parse(new Date(start + 330 * 60_000).toISOString().slice(0, 10))) / 86_400_000);
        const inr = (p: bigint) => `₹${p / 100n}.${(p % 100n).toString().padStart(2, '0')}`;
        if (r.bill.overdue)
          return `bill overdue by ${-days} days: ${inr(r.bill.billAmountPaise)} + ${inr(r.bill.latePaymentAmountPaise! - r.bill.billAmountPaise)} late fee payable`;
        return `bill due: ${inr(r.bill.billAmountPaise)}, due in ${days} days`;
      }
      case 'bbps payBill': {
        const r = await rails.bbps.payBill(call, { biller: { billerId: 1001, circle: 'MAH', billParams: { cn: v.value } }, amountPaise: 125_000n });
        return describeRun(r.status, r.reasonCode, false);
      }
      default:
        throw new Error(`no check for ${key}: add one so that ${v.value} cannot be documented unchecked`);
    }
  }

  const cases = RAIL_TEST_DATA.flatMap((r) => r.magicValues.map((v) => [r.rail, v] as const));
  it.each(cases)('%s %j', async (rail, v) => {
    expect(await observe(rail, v)).toBe(v.outcome);
  });

  it('documents at least the values of reference §2.12', () => {
    const values = cases.map(([, v]) => v.value);
    expect(values).toEqual(
      expect.arrayContaining([
        '4111111111111111',
        '5555555555554444',
        '4000000000000002',
        '123456',
        'success@enkash',
        'failure@enkash',
        'pending@enkash',
        'TEST_SUCCESS',
        'TEST_FAILURE',
      ]),
    );
  });

  it('lists each (rail, operation, value) once', () => {
    const keys = cases.map(([rail, v]) => `${rail} ${v.operation} ${v.value}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('docs/sandbox.md', () => {
  it(`is generated from the registry (regenerate with: ${REGENERATE_COMMAND})`, () => {
    const onDisk = fs.readFileSync('docs/sandbox.md', 'utf8');
    expect(onDisk === renderSandboxDoc(), `docs/sandbox.md is stale: run ${REGENERATE_COMMAND}`).toBe(true);
  });

  it('shows every magic value and every scenario', () => {
    const doc = renderSandboxDoc();
    const data = sandboxTestData();
    for (const s of data.scenarios) expect(doc).toContain(`\`${s.syntax}\``);
    for (const r of data.rails) for (const v of r.magicValues) expect(doc).toContain(`| \`${v.value}\` | ${v.operation} | ${v.outcome} |`);
  });
});
