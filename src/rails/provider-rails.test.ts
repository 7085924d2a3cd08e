import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestRails, type TestRails } from '../../test/support/rails.js';
import { parseScenario } from './scenario.js';
import type { RailCall, RailOutcomeEvent } from './types.js';

/** The sandbox instant every test's company starts at. */
const START = new Date('2026-11-27T10:07:00.000Z');

/**
 * Netbanking and wallets as the app builds them, on the real sandbox clock and timers
 * (sandbox_timers): each test has its own company whose sandbox clock starts at START.
 */
describe('netbanking and wallet simulators', () => {
  let t: TestRails;
  let company: string;
  const events: RailOutcomeEvent[] = [];
  let n = 0;
  const netbanking = () => t.services.rails.netbanking;
  const wallet = () => t.services.rails.wallet;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({
    companyId: company,
    attemptRef: `att_${++n}`,
    replyTo: 'test.pg',
    exec: t.database.db,
    ...overrides,
  });
  const advanceBy = async (ms: number) => t.services.timers.advance(company, new Date((await t.services.clocks.now(company)).getTime() + ms));

  beforeAll(async () => {
    t = await createTestRails();
    const record = async (e: RailOutcomeEvent) => {
      events.push(e);
    };
    netbanking().onOutcome('test.pg', record);
    wallet().onOutcome('test.pg', record);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    company = (await t.services.identity.createCompany({ name: 'Provider rails test' })).id;
    await t.services.clocks.moveForwardTo(company, START);
    events.length = 0;
  });

  it('lists banks and wallets by code', () => {
    expect(netbanking().banks()).toContainEqual({ code: 'HDFC', name: 'HDFC Bank' });
    expect(netbanking().banks()).toContainEqual({ code: 'TEST_FAILURE', name: 'Tijori Test Bank (failure)' });
    expect(
      wallet()
        .providers('PAY_LATER')
        .map((p) => p.code),
    ).toEqual(['SIMPL', 'ICICIPAYLATER', 'LAZYPAY']);
    expect(wallet().providers().length).toBe(11);
  });

  it('answers per bank: success with a reference, bank down, slow bank reported later', async () => {
    expect(await netbanking().pay(call(), { bankCode: 'HDFC', amountPaise: 100n })).toEqual({
      status: 'succeeded',
      providerReference: expect.stringMatching(/^HDFC\d{10}$/),
      webhookDuplicate: false,
    });
    expect(await netbanking().pay(call(), { bankCode: 'PUNB', amountPaise: 100n })).toEqual({
      status: 'failed',
      reasonCode: 'bank_unavailable',
      webhookDuplicate: false,
    });
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
    const c = call();
    expect(await netbanking().pay(c, { bankCode: 'BARB', amountPaise: 100n })).toEqual({ status: 'pending', webhookDuplicate: false });
    expect(await t.services.timers.pending(company)).toEqual({ count: 1, nextDueAt: new Date(START.getTime() + 180_000) });
    expect(await advanceBy(179_999)).toEqual({ fired: 0 });
    expect(events).toHaveLength(0);
    expect(await advanceBy(1)).toEqual({ fired: 1 });
    expect(events).toEqual([
      expect.objectContaining({
        rail: 'netbanking',
        companyId: company,
        attemptRef: c.attemptRef,
        status: 'succeeded',
        reference: expect.stringMatching(/^BARB\d{10}$/),
        occurredAt: new Date(START.getTime() + 180_000),
        details: { code: 'BARB' },
      }),
    ]);
  });

  it('lets a scenario override the bank, and refuses unknown codes and unsupported scenarios', async () => {
    expect(await netbanking().pay(call({ scenario: parseScenario('succeed') }), { bankCode: 'PUNB', amountPaise: 100n })).toMatchObject({
      status: 'succeeded',
    });
    await expect(netbanking().pay(call(), { bankCode: 'NOPE', amountPaise: 100n })).rejects.toThrow('Invalid field bankCode: unknown code "NOPE"');
    await expect(wallet().pay(call(), { walletCode: 'NOPE', amountPaise: 100n })).rejects.toThrow('Invalid field walletCode: unknown code "NOPE"');
    await expect(wallet().pay(call({ scenario: parseScenario('reverse_after:P1D') }), { walletCode: 'PAYTM', amountPaise: 100n })).rejects.toThrow(
      'not supported by the wallet rail',
    );
    await expect(wallet().pay(call(), { walletCode: 'PAYTM', amountPaise: 0n })).rejects.toThrow('Invalid field amount');
    // A refused call schedules nothing.
    expect(await t.services.timers.pending(company)).toEqual({ count: 0, nextDueAt: null });
  });

  it('answers per wallet provider', async () => {
    expect(await wallet().pay(call(), { walletCode: 'MOBIKWIK', amountPaise: 100n })).toMatchObject({ status: 'declined', reasonCode: 'insufficient_balance' });
    expect(await wallet().pay(call(), { walletCode: 'LAZYPAY', amountPaise: 100n })).toMatchObject({ status: 'declined', reasonCode: 'credit_limit_exceeded' });
    expect(await wallet().pay(call(), { walletCode: 'FREECHARGE', amountPaise: 100n })).toEqual({ status: 'no_answer', webhookDuplicate: false });
    // A provider that never answers leaves no outcome to report, however long the clock runs.
    expect(await advanceBy(86_400_000)).toEqual({ fired: 0 });
    expect(events).toEqual([]);
  });
});
