import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { newCompany, type Api } from '../support/payouts.js';

/**
 * The UPI VPA check end to end (docs/api/verification.md, ADR 0042): the holder's name as the
 * gateway's Verify UPI VPA answers it, NOT_FOUND, name matching, bad format and unknown handles
 * refused with nothing recorded, replay by referenceId, another company's 404.
 */
describe(`VPA check (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let other: Api;
  const START = new Date('2026-12-01T06:30:00.000Z');
  let n = 0;
  const consent = () => ({ referenceId: `VPA-${++n}`, consent: 'Y', purpose: 'Payee onboarding' });
  const post = (body: object, headers: Record<string, string> = {}) => api('POST', '/v0/verification/vpa', body, headers);
  const count = async () => (await api('POST', '/v0/verification/search', { checkType: 'VPA' })).json().payload.totalElements as number;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(START);
    ({ api } = await newCompany(t, 'Vpa'));
    ({ api: other } = await newCompany(t, 'OtherVpa'));
  });
  afterAll(async () => t?.close());

  it("a test VPA: VALID with the holder's name the gateway's Verify UPI VPA answers, and a name match; the whole envelope", async () => {
    const gateway = await t.app.inject({
      method: 'POST',
      url: '/api/v0/payment/vpa/verify',
      headers: await gatewayHeaders(t.app),
      payload: { vpa: 'success@enkash' },
    });
    const verify = gateway.json().payload;
    expect(verify).toEqual({ vpa: 'success@enkash', valid: true, customerName: 'Tijori Success Payer' });
    const body = { ...consent(), vpa: 'Success@EnKash', name: 'Shri Tijori Success Payer' };
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(200);
    const json = res.json();
    expect(json).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        verificationId: expect.stringMatching(/^VRF/),
        referenceId: body.referenceId,
        checkType: 'VPA',
        status: 'VALID',
        message: 'The VPA exists',
        input: 'success@enkash',
        result: { vpa: 'success@enkash', handle: 'enkash', provider: 'EnKash (sandbox test VPAs and virtual accounts)', customerName: verify.customerName },
        nameMatch: {
          nameGiven: 'Shri Tijori Success Payer',
          nameOnRecord: 'Tijori Success Payer',
          score: 100,
          band: 'MATCH',
          thresholds: { match: 85, partial: 60 },
          breakdown: expect.objectContaining({ unpairedA: [], unpairedB: [] }),
        },
        purpose: 'Payee onboarding',
        dataVersion: 'tijori-sandbox-registries-2026.12',
        createdOn: START.toISOString(),
        completedOn: START.toISOString(),
        purgedOn: null,
      },
    });
    expect((await api('GET', `/v0/verification/${json.payload.verificationId}`)).json()).toEqual(json);
    // The same referenceId and input replays the first check.
    expect((await post(body)).json()).toEqual(json);
  });

  it('any other VPA at a known handle: VALID as "Sandbox Payer" (the UPI rail\'s default); a name that differs: NO_MATCH', async () => {
    const p = (await post({ ...consent(), vpa: 'asha.zaveri@okhdfcbank', name: 'Imran Inamdar' })).json().payload;
    expect(p).toMatchObject({
      status: 'VALID',
      result: { vpa: 'asha.zaveri@okhdfcbank', handle: 'okhdfcbank', provider: 'Google Pay (HDFC Bank)', customerName: 'Sandbox Payer' },
      nameMatch: { nameOnRecord: 'Sandbox Payer', band: 'NO_MATCH' },
    });
  });

  it('the VPA the rail does not know: NOT_FOUND, no name match', async () => {
    const body = { ...consent(), vpa: 'unknown@enkash', name: 'Anyone' };
    const p = (await post(body)).json().payload;
    expect(p).toMatchObject({
      referenceId: body.referenceId,
      checkType: 'VPA',
      status: 'NOT_FOUND',
      message: 'No such VPA at its PSP',
      result: null,
      nameMatch: null,
    });
  });

  it('the UPI switch down (scenario fail): FAILED with the reason', async () => {
    const p = (await post({ ...consent(), vpa: 'success@enkash' }, { 'x-tijori-scenario': 'fail' })).json().payload;
    expect(p).toMatchObject({
      status: 'FAILED',
      result: { reasonCode: 'upi_switch_unavailable' },
      message: 'The UPI switch is unavailable; try again later with a new referenceId',
    });
  });

  it('a bad format or an unknown handle: 400 invalid_rail_input naming vpa; consent missing: 422; nothing recorded', async () => {
    const before = await count();
    const cases: [string, string][] = [
      ['a@enkash', 'Invalid field vpa: must be 2 to 256 letters, digits, dots, dashes or underscores, @, and a handle of 2 to 64 letters'],
      ['asha zaveri@enkash', 'Invalid field vpa: must be 2 to 256 letters, digits, dots, dashes or underscores, @, and a handle of 2 to 64 letters'],
      ['asha@ok1hdfc', 'Invalid field vpa: must be 2 to 256 letters, digits, dots, dashes or underscores, @, and a handle of 2 to 64 letters'],
      ['asha@nosuchpsp', 'Invalid field vpa: unknown UPI handle @nosuchpsp'],
    ];
    for (const [vpa, message] of cases) {
      const res = await post({ ...consent(), vpa });
      expect([res.statusCode, res.headers['x-error-code']], vpa).toEqual([400, 'invalid_rail_input']);
      expect(res.json()).toEqual({ response_code: 400, response_message: message, payload: null });
    }
    const noConsent = await post({ referenceId: 'VPA-NC', vpa: 'success@enkash', purpose: 'x' });
    expect([noConsent.statusCode, noConsent.json().response_message]).toEqual([422, 'Missing required field consent']);
    const timeout = await post({ ...consent(), vpa: 'success@enkash' }, { 'x-tijori-scenario': 'timeout' });
    expect([timeout.statusCode, timeout.headers['x-error-code']]).toEqual([400, 'scenario_not_supported']);
    expect(await count()).toBe(before);
  });

  it('another company gets 404 for the check', async () => {
    const p = (await post({ ...consent(), vpa: 'slow@enkash' })).json().payload;
    expect(p.result.customerName).toBe('Tijori Slow Payer');
    const res = await other('GET', `/v0/verification/${p.verificationId}`);
    expect([res.statusCode, res.headers['x-error-code']]).toEqual([404, 'verification_not_found']);
  });
});
