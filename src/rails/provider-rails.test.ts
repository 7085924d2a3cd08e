import { beforeEach, describe, expect, it } from 'vitest';
import { InMemorySandbox, NO_DATABASE } from '../../test/support/rails.js';
import { NetbankingSimulator } from './netbanking/simulator.js';
import { parseScenario } from './scenario.js';
import type { RailCall, RailOutcomeEvent } from './types.js';
import { WalletSimulator } from './wallet/simulator.js';

describe('netbanking and wallet simulators', () => {
  let sandbox: InMemorySandbox;
  let netbanking: NetbankingSimulator;
  let wallet: WalletSimulator;
  let events: RailOutcomeEvent[];
  let n = 0;
  const call = (overrides: Partial<RailCall> = {}): RailCall => ({ companyId: 'CEK1GZBO6A', attemptRef: `att_${++n}`, replyTo: 'test.pg', exec: NO_DATABASE, ...overrides });

  beforeEach(() => {
    sandbox = new InMemorySandbox();
    netbanking = new NetbankingSimulator({ timers: sandbox, clock: sandbox });
    wallet = new WalletSimulator({ timers: sandbox, clock: sandbox });
    events = [];
    netbanking.onOutcome('test.pg', async (e) => {
      events.push(e);
    });
  });

  it('lists banks and wallets by code', () => {
    expect(netbanking.banks()).toContainEqual({ code: 'HDFC', name: 'HDFC Bank' });
    expect(netbanking.banks()).toContainEqual({ code: 'TEST_FAILURE', name: 'Tijori Test Bank (failure)' });
    expect(wallet.providers('PAY_LATER').map((p) => p.code)).toEqual(['SIMPL', 'ICICIPAYLATER', 'LAZYPAY']);
    expect(wallet.providers().length).toBe(11);
  });

  it('answers per bank: success with a reference, bank down, slow bank reported later', async () => {
    expect(await netbanking.pay(call(), { bankCode: 'HDFC', amountPaise: 100n })).toEqual({ status: 'succeeded', providerReference: expect.stringMatching(/^HDFC\d{10}$/), webhookDuplicate: false });
    expect(await netbanking.pay(call(), { bankCode: 'PUNB', amountPaise: 100n })).toEqual({ status: 'failed', reasonCode: 'bank_unavailable', webhookDuplicate: false });
    const c = call();
    expect(await netbanking.pay(c, { bankCode: 'BARB', amountPaise: 100n })).toEqual({ status: 'pending', webhookDuplicate: false });
    await sandbox.advance(180_000);
    expect(events).toEqual([expect.objectContaining({ rail: 'netbanking', attemptRef: c.attemptRef, status: 'succeeded', reference: expect.stringMatching(/^BARB\d{10}$/), details: { code: 'BARB' } })]);
  });

  it('lets a scenario override the bank, and refuses unknown codes and unsupported scenarios', async () => {
    expect(await netbanking.pay(call({ scenario: parseScenario('succeed') }), { bankCode: 'PUNB', amountPaise: 100n })).toMatchObject({ status: 'succeeded' });
    await expect(netbanking.pay(call(), { bankCode: 'NOPE', amountPaise: 100n })).rejects.toThrow('Invalid field bankCode: unknown code "NOPE"');
    await expect(wallet.pay(call({ scenario: parseScenario('reverse_after:P1D') }), { walletCode: 'PAYTM', amountPaise: 100n })).rejects.toThrow('not supported by the wallet rail');
    await expect(wallet.pay(call(), { walletCode: 'PAYTM', amountPaise: 0n })).rejects.toThrow('Invalid field amount');
  });

  it('answers per wallet provider', async () => {
    expect(await wallet.pay(call(), { walletCode: 'MOBIKWIK', amountPaise: 100n })).toMatchObject({ status: 'declined', reasonCode: 'insufficient_balance' });
    expect(await wallet.pay(call(), { walletCode: 'LAZYPAY', amountPaise: 100n })).toMatchObject({ status: 'declined', reasonCode: 'credit_limit_exceeded' });
    expect(await wallet.pay(call(), { walletCode: 'FREECHARGE', amountPaise: 100n })).toEqual({ status: 'no_answer', webhookDuplicate: false });
  });
});
