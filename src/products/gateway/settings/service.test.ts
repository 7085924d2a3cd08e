import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../../auth/seed.js';
import { backend, createTestApp, type TestApp } from '../../../../test/support/app.js';
import { countStatements } from '../../../../test/support/statements.js';

// The settings cache hands every caller one frozen value instead of a deep copy per call (ADR 0031).
describe(`gateway settings from the cache (${backend})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
  });
  afterAll(() => t.close());

  it('returns the same frozen value to every reader, which nobody can change', async () => {
    const { gatewaySettings } = t.services;
    const first = await gatewaySettings.get(t.database.db, SANDBOX.companyId);
    const again = await countStatements(t.database, () => gatewaySettings.get(t.database.db, SANDBOX.companyId));
    expect(again.statements).toBe(0);
    expect(again.result).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(
      Object.isFrozen(first.feeRules) &&
        Object.isFrozen(first.mdrBasisPoints) &&
        Object.isFrozen(first.enabledModes) &&
        Object.isFrozen(first.settlementAccount),
    ).toBe(true);
    expect(() => {
      (first as { merchantName: string }).merchantName = 'Changed';
    }).toThrow(TypeError);
    expect(() => first.enabledModes.push('UPI')).toThrow(TypeError);
    expect((await gatewaySettings.get(t.database.db, SANDBOX.companyId)).merchantName).toBe(first.merchantName);
  });

  it('an update replaces the cached value at once', async () => {
    const { gatewaySettings } = t.services;
    const before = await gatewaySettings.get(t.database.db, SANDBOX.companyId);
    await gatewaySettings.update(SANDBOX.companyId, { merchantName: 'Frozen Foods' });
    const after = await gatewaySettings.get(t.database.db, SANDBOX.companyId);
    expect(after.merchantName).toBe('Frozen Foods');
    expect(before.merchantName).not.toBe('Frozen Foods');
    expect(Object.isFrozen(after)).toBe(true);
  });
});
