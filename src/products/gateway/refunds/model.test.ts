import { describe, expect, it } from 'vitest';
import { sandboxTestData } from '../../../sandbox-test-data.js';
import { refundTestData } from './test-data.js';
import { formatIsoDuration, parseScenario } from '../../../rails/scenario.js';
import { planRefund, REFUND_DELAY_MS, type RefundPlan } from './model.js';

// The refund outcomes of docs/sandbox.md and GET /api/v0/sandbox/test-data cannot lie: every
// documented line is rebuilt from the plan the refunds service follows.

const RAILS = Object.keys(REFUND_DELAY_MS) as Array<keyof typeof REFUND_DELAY_MS>;

function describeRefund(plan: RefundPlan, railDelay: boolean): string {
  const when = railDelay ? "after the rail's delay" : `after ${formatIsoDuration(plan.afterMs)}`;
  return plan.status === 'SUCCESS' ? `created, then succeeded ${when}` : `created, then failed (${plan.reason}) ${when}`;
}

describe('refund test data', () => {
  it('is served with the sandbox test data', () => {
    expect(sandboxTestData().products).toContain(refundTestData);
    expect(refundTestData.magicValues.length).toBeGreaterThan(RAILS.length);
  });

  it("documents each rail's delay as planRefund applies it", () => {
    const rows = refundTestData.magicValues.filter((v) => v.kind === 'payment rail');
    expect(rows.map((r) => r.value)).toEqual(RAILS);
    for (const row of rows) expect(row.outcome, row.value).toBe(describeRefund(planRefund(row.value, undefined), false));
    expect(planRefund('card', undefined)).toEqual({ status: 'SUCCESS', afterMs: 86_400_000 });
  });

  it('documents each scenario as planRefund applies it, on every rail', () => {
    const rows = refundTestData.magicValues.filter((v) => v.kind === 'scenario');
    expect(new Set(rows.map((r) => parseScenario(r.value).name))).toEqual(new Set(['fail', 'decline', 'succeed_after', 'fail_after']));
    for (const row of rows) {
      const scenario = parseScenario(row.value);
      for (const rail of RAILS) {
        const plan = planRefund(rail, scenario);
        const railDelay = plan.afterMs === REFUND_DELAY_MS[rail] && !('afterMs' in scenario);
        expect(row.outcome, `${row.value} on ${rail}`).toBe(describeRefund(plan, railDelay));
      }
    }
  });

  it('refuses nothing it documents and documents every scenario it accepts', () => {
    expect(refundTestData.scenarios).toEqual(['succeed', 'fail', 'decline', 'succeed_after', 'fail_after']);
    expect(() => planRefund('upi', parseScenario('timeout'))).toThrow(/not a refund scenario/);
  });
});
