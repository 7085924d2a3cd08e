import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { listTables, tableText } from '../support/db-snapshot.js';
import { legacyRequestFingerprint } from '../../src/core/idempotency/index.js';
import { newCompany, type Api } from '../support/payouts.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * The verification suite end to end (docs/api/verification.md): one flow per check type and
 * fixture outcome with whole envelopes, consent and referenceId rules, bad input refused with
 * nothing recorded, the timeout scenario ending by a signed webhook, search, another company's
 * 404, and no Aadhaar number in clear in any table or log.
 */
describe(`verification suite (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let other: Api;
  let companyId: string;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  const AADHAAR = '234123412346';
  /** Real time (frozen): webhook receivers check the signature's timestamp against it. */
  const START = new Date(Math.floor(Date.now() / 1000) * 1000);
  let n = 0;
  const consent = () => ({ referenceId: `REF-${++n}`, consent: 'Y', purpose: 'Vendor onboarding' });
  const post = (check: string, body: object, headers: Record<string, string> = {}) => api('POST', `/v0/verification/${check}`, body, headers);
  const ok = async (check: string, body: object, headers: Record<string, string> = {}) => {
    const res = await post(check, body, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload;
  };
  /** The support client types GET, POST and DELETE; it sends any method. */
  const put = (url: string, payload: object) => (api as (m: string, u: string, p: object) => ReturnType<Api>)('PUT', url, payload);
  const count = async () => (await api('POST', '/v0/verification/search', {})).json().payload.totalElements as number;
  const common = (ref: string, checkType: string, status: string) => ({
    verificationId: expect.stringMatching(/^VRF/),
    referenceId: ref,
    checkType,
    status,
    purpose: 'Vendor onboarding',
    dataVersion: 'tijori-sandbox-registries-2026.12',
    createdOn: START.toISOString(),
    purgedOn: null,
  });

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    t.clock.set(START);
    ({ api, companyId } = await newCompany(t, 'Verifier'));
    ({ api: other } = await newCompany(t, 'Other'));
    const config = await api('POST', '/v0/webhook-data', { webhookUrl: `${rx.url}/verify`, events: ['VERIFICATION_COMPLETED'], companyId });
    expect(config.statusCode, config.body).toBe(200);
    secret = config.json().payload.secret;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('PAN: valid with a name match, the whole envelope', async () => {
    const body = { ...consent(), pan: 'aajps2345q', name: 'Mr. R.K. Sharma' };
    const res = await post('pan', body);
    expect(res.statusCode, res.body).toBe(200);
    const json = res.json();
    expect(json).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: {
        ...common(body.referenceId, 'PAN', 'VALID'),
        message: 'The PAN is valid',
        input: 'AAJPS2345Q',
        result: {
          pan: 'AAJPS2345Q',
          panStatus: 'VALID',
          registeredName: 'RAVI KUMAR SHARMA',
          holderTypeCode: 'P',
          holderType: 'Individual',
          aadhaarSeedingStatus: 'Y',
          nameInitialMatches: true,
        },
        nameMatch: {
          nameGiven: 'Mr. R.K. Sharma',
          nameOnRecord: 'RAVI KUMAR SHARMA',
          score: 93,
          band: 'MATCH',
          thresholds: { match: 85, partial: 60 },
          breakdown: expect.objectContaining({
            pairs: [
              { a: 'SHARMA', b: 'SHARMA', method: 'EXACT', score: 100 },
              { a: 'K', b: 'KUMAR', method: 'INITIAL', score: 90 },
              { a: 'R', b: 'RAVI', method: 'INITIAL', score: 90 },
            ],
          }),
        },
        completedOn: START.toISOString(),
      },
    });
    // GET answers the same check.
    const got = await api('GET', `/v0/verification/${json.payload.verificationId}`);
    expect(got.json()).toEqual(json);
  });

  it('PAN fixtures: inoperative, deleted, deactivated are INVALID; unknown fixture NOT_FOUND; the initial checked against the surname', async () => {
    const cases: [string, string, string, string | null][] = [
      ['AAAPI5678K', 'INVALID', 'INOPERATIVE', 'N'],
      ['AAAPD0000X', 'INVALID', 'DELETED', 'Y'],
      ['AAAPV4321R', 'INVALID', 'DEACTIVATED', 'Y'],
      ['ZZZPZ9999Z', 'NOT_FOUND', '', null],
    ];
    for (const [pan, status, panStatus, seeding] of cases) {
      const p = await ok('pan', { ...consent(), pan });
      expect(p.status, pan).toBe(status);
      if (status === 'NOT_FOUND') expect(p).toMatchObject({ result: null, nameMatch: null, message: 'No such PAN in the registry' });
      else expect(p.result, pan).toMatchObject({ panStatus, aadhaarSeedingStatus: seeding, nameInitialMatches: null });
    }
    const wrongInitial = await ok('pan', { ...consent(), pan: 'AAJPS2345Q', name: 'Ravi Kumar Verma' });
    expect(wrongInitial.result.nameInitialMatches).toBe(false);
    expect(wrongInitial.nameMatch).toMatchObject({ score: 67, band: 'PARTIAL' });
  });

  it('GSTIN: active, cancelled, suspended, composition, SEZ, not registered; the published example validates', async () => {
    const active = await ok('gstin', { ...consent(), gstin: '27AABCT1234E1ZS', name: 'M/s Tijori Test Pvt. Ltd.' });
    expect(active).toMatchObject({
      status: 'VALID',
      result: {
        gstin: '27AABCT1234E1ZS',
        legalName: 'TIJORI TEST PRIVATE LIMITED',
        tradeName: 'TIJORI',
        status: 'Active',
        registrationDate: '2017-07-01',
        statusDate: null,
        address: '4th Floor, Sandbox House, Lower Parel, Mumbai, Maharashtra, 400013',
        stateCode: '27',
        state: 'Maharashtra',
        pan: 'AABCT1234E',
        constitution: 'Private Limited Company',
        taxpayerType: 'Regular',
      },
      nameMatch: { score: 100, band: 'MATCH' },
    });
    expect(await ok('gstin', { ...consent(), gstin: '29AABCT1234E1ZO' })).toMatchObject({
      status: 'INVALID',
      message: 'The GSTIN is cancelled',
      result: { status: 'Cancelled', statusDate: '2023-03-31' },
    });
    expect(await ok('gstin', { ...consent(), gstin: '07AAAFZ4321L1Z2' })).toMatchObject({
      status: 'INVALID',
      result: { status: 'Suspended', statusDate: '2024-08-01' },
    });
    expect(await ok('gstin', { ...consent(), gstin: '33AAAPZ1234C1Z7' })).toMatchObject({ status: 'VALID', result: { taxpayerType: 'Composition' } });
    expect(await ok('gstin', { ...consent(), gstin: '36AAACZ5678M1ZJ' })).toMatchObject({ status: 'VALID', result: { taxpayerType: 'SEZ Unit' } });
    expect(await ok('gstin', { ...consent(), gstin: '24AABCN0000N1ZZ' })).toMatchObject({ status: 'NOT_FOUND', result: null });
    expect(await ok('gstin', { ...consent(), gstin: '27AAPFU0939F1ZV' })).toMatchObject({ status: 'VALID', result: { constitution: 'Partnership' } });
  });

  it('bad input is refused before any lookup, and nothing is recorded', async () => {
    const before = await count();
    const refused: [string, object, string][] = [
      ['gstin', { gstin: '27AAPFU0939F1ZW' }, 'Invalid field gstin: the check character does not match'],
      ['gstin', { gstin: '25AAPFU0939F1ZV' }, 'Invalid field gstin: unknown state code 25'],
      ['pan', { pan: 'AAAXZ1234C' }, 'Invalid field pan'],
      ['aadhaar', { aadhaarNumber: '234123412347' }, 'Invalid field aadhaarNumber: the check digit (Verhoeff) does not match'],
      ['aadhaar', { aadhaarNumber: '123412341234' }, 'Invalid field aadhaarNumber: must be 12 digits, the first not 0 or 1'],
      ['cin', { cin: 'U72900MH2031PTC123456' }, 'the year of incorporation 2031 is not between 1850 and this year'],
      ['llpin', { llpin: 'AA-1234' }, 'Invalid field llpin'],
    ];
    for (const [check, body, message] of refused) {
      const res = await post(check, { ...consent(), ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['x-error-code']).toBe('invalid_rail_input');
      expect(res.json()).toEqual({ response_code: 400, response_message: expect.stringContaining(message), payload: null });
    }
    const noName = await post('pan', { ...consent(), pan: 'AAJPS2345Q', name: 'Mr. Dr.' });
    expect([noName.statusCode, noName.headers['x-error-code']]).toEqual([422, 'invalid_name']);
    expect(await count()).toBe(before);
  });

  it('consent: missing consent or purpose, or consent not Y, is a 422 naming the field', async () => {
    const before = await count();
    const cases: [object, string][] = [
      [{ referenceId: 'C-1', purpose: 'x' }, 'Missing required field consent'],
      [{ referenceId: 'C-2', consent: 'N', purpose: 'x' }, 'Invalid field consent: must be Y (the subject consented to this check)'],
      [{ referenceId: 'C-3', consent: 'Y' }, 'Missing required field purpose'],
    ];
    for (const [body, message] of cases) {
      const res = await post('pan', { ...body, pan: 'AAJPS2345Q' });
      expect(res.statusCode).toBe(422);
      expect(res.headers['x-error-code']).toBe('consent_required');
      expect(res.json()).toEqual({ response_code: 422, response_message: message, payload: null });
    }
    expect(await count()).toBe(before);
  });

  it('a repeated referenceId replays the first answer; with another input it is a 409', async () => {
    const body = { ...consent(), pan: 'AAAPZ1234C', name: 'Asha Zaveri' };
    const first = await ok('pan', body);
    const again = await ok('pan', body);
    expect(again).toEqual(first);
    const reused = await post('pan', { ...body, pan: 'AABCT1234E' });
    expect([reused.statusCode, reused.headers['x-error-code']]).toEqual([409, 'verification_reference_conflict']);
    const otherType = await post('gstin', { ...body, pan: undefined, gstin: '27AABCT1234E1ZS' });
    expect(otherType.statusCode).toBe(409);
    expect((await api('POST', '/v0/verification/search', { referenceId: body.referenceId })).json().payload.totalElements).toBe(1);
  });

  it('Aadhaar: VALID, masked in the answer, never in clear in a table or the log', async () => {
    const body = { ...consent(), aadhaarNumber: '2341 2341 2346' };
    const p = await ok('aadhaar', body);
    expect(p).toEqual({
      ...common(body.referenceId, 'AADHAAR', 'VALID'),
      message: 'The Aadhaar number is well formed and its check digit is valid',
      input: 'XXXX XXXX 2346',
      result: { maskedAadhaar: 'XXXX XXXX 2346', checkDigit: 'VALID' },
      nameMatch: null,
      completedOn: START.toISOString(),
    });
    // The same number again, with an Idempotency-Key: the keyed hash recognises the repeat.
    expect(await ok('aadhaar', body, { 'idempotency-key': 'aadhaar-key-1' })).toEqual(p);
    // Nor the unkeyed sha256 of the request, which 10^12 guesses would turn back into the number (ADR 0047).
    const unkeyed = legacyRequestFingerprint({ method: 'POST', route: '/api/v0/verification/aadhaar', params: {}, query: {}, body });
    for (const table of await listTables(t.database)) {
      const text = (await tableText(t.database, table)).join('\n');
      expect(text.includes(AADHAAR), table.name).toBe(false);
      expect(text.includes(unkeyed), table.name).toBe(false);
    }
    expect(t.logs.lines.some((l) => l.includes(AADHAAR))).toBe(false);
  });

  it('CIN and LLPIN: parsed, active, struck off, under liquidation, not found', async () => {
    const cin = await ok('cin', { ...consent(), cin: 'U72900MH2017PTC123456', name: 'Tijori Test Private Ltd' });
    expect(cin).toMatchObject({
      status: 'VALID',
      result: {
        cin: 'U72900MH2017PTC123456',
        companyName: 'TIJORI TEST PRIVATE LIMITED',
        companyStatus: 'Active',
        incorporationDate: '2017-05-12',
        listing: 'UNLISTED',
        industryCode: '72900',
        stateCode: 'MH',
        state: 'Maharashtra',
        yearOfIncorporation: 2017,
        companyType: 'PTC',
        companyTypeName: 'Private Limited Company',
        registrationNumber: '123456',
      },
      nameMatch: { score: 100, band: 'MATCH' },
    });
    expect(await ok('cin', { ...consent(), cin: 'U51909DL2012PTC000111' })).toMatchObject({ status: 'INVALID', result: { companyStatus: 'Strike Off' } });
    expect(await ok('cin', { ...consent(), cin: 'U74999KA2020OPC000222' })).toMatchObject({ status: 'INVALID', result: { companyType: 'OPC' } });
    expect(await ok('cin', { ...consent(), cin: 'L36100TG2018PLC654321' })).toMatchObject({ status: 'VALID', result: { listing: 'LISTED' } });
    expect(await ok('cin', { ...consent(), cin: 'L65990MH1990PLC000001' })).toMatchObject({ status: 'NOT_FOUND', result: null });
    expect(await ok('llpin', { ...consent(), llpin: 'AAA-1234', name: 'Zen Traders L.L.P.' })).toMatchObject({
      status: 'VALID',
      result: { llpin: 'AAA-1234', llpName: 'ZEN TRADERS LLP', llpStatus: 'Active', designatedPartners: 2 },
      nameMatch: { score: 100, band: 'MATCH' },
    });
    expect(await ok('llpin', { ...consent(), llpin: 'ABC-0007' })).toMatchObject({ status: 'INVALID', result: { llpStatus: 'Strike Off' } });
    expect(await ok('llpin', { ...consent(), llpin: 'ZZZ-9999' })).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('name match at the company thresholds', async () => {
    const m = await ok('name-match', { ...consent(), name1: 'Ravi Sharma', name2: 'Ravi Kumar Sharma' });
    expect(m).toMatchObject({
      status: 'VALID',
      result: { score: 67, band: 'PARTIAL' },
      nameMatch: { band: 'PARTIAL', thresholds: { match: 85, partial: 60 } },
    });
    const set = await put('/v0/verification/settings', { nameMatchThresholds: { match: 60, partial: 40 } });
    expect(set.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { nameMatchThresholds: { match: 60, partial: 40 }, resultRetentionDays: 180 },
    });
    const after = await ok('name-match', { ...consent(), name1: 'Ravi Sharma', name2: 'Ravi Kumar Sharma' });
    expect(after).toMatchObject({ result: { score: 67, band: 'MATCH' } });
    const bad = await put('/v0/verification/settings', { nameMatchThresholds: { match: 50, partial: 70 } });
    expect([bad.statusCode, bad.headers['x-error-code']]).toEqual([422, 'invalid_name_match_thresholds']);
    expect((await api('GET', '/v0/verification/settings')).json().payload).toEqual({
      nameMatchThresholds: { match: 60, partial: 40 },
      resultRetentionDays: 180,
    });
    // Another company keeps the defaults.
    expect((await other('GET', '/v0/verification/settings')).json().payload).toEqual({
      nameMatchThresholds: { match: 85, partial: 60 },
      resultRetentionDays: 180,
    });
    await put('/v0/verification/settings', { nameMatchThresholds: { match: 85, partial: 60 } });
  });

  it('registry down: FAILED; registry timeout: PENDING, then VALID and a signed webhook after 60 s of sandbox time', async () => {
    const down = await ok('pan', { ...consent(), pan: 'AAAPZ1234C' }, { 'x-tijori-scenario': 'fail' });
    expect(down).toMatchObject({ status: 'FAILED', result: { reasonCode: 'registry_unavailable' }, message: expect.stringContaining('unavailable') });
    const body = { ...consent(), gstin: '27AABCT1234E1ZS', name: 'Tijori Test' };
    const pending = await ok('gstin', body, { 'x-tijori-scenario': 'timeout' });
    expect(pending).toMatchObject({ status: 'PENDING', result: null, nameMatch: null, completedOn: null });
    // A repeat while PENDING replays PENDING and schedules nothing more.
    expect(await ok('gstin', body, { 'x-tijori-scenario': 'timeout' })).toEqual(pending);
    await t.services.timers.advance(companyId, new Date(START.getTime() + 60_000));
    const done = (await api('GET', `/v0/verification/${pending.verificationId}`)).json().payload;
    expect(done).toMatchObject({
      status: 'VALID',
      result: { legalName: 'TIJORI TEST PRIVATE LIMITED' },
      nameMatch: { score: 90, band: 'MATCH' },
      completedOn: new Date(START.getTime() + 60_000).toISOString(),
    });
    const until = Date.now() + 15_000;
    while (rx.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(rx.received).toHaveLength(1);
    const r = rx.received[0]!;
    const payload = new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    });
    expect(payload).toEqual({ event: 'VERIFICATION_COMPLETED', ...done });
  });

  it('search filters and pages; another company gets 404 and an empty search', async () => {
    const page = (await api('POST', '/v0/verification/search', { checkType: 'CIN', limit: 2 })).json().payload;
    expect(page).toMatchObject({ totalElements: 5, size: 2, totalPages: 3 });
    expect(page.content.map((c: { checkType: string }) => c.checkType)).toEqual(['CIN', 'CIN']);
    const notFound = (await api('POST', '/v0/verification/search', { status: 'NOT_FOUND' })).json().payload;
    expect(notFound.content.every((c: { status: string }) => c.status === 'NOT_FOUND')).toBe(true);
    expect(notFound.totalElements).toBeGreaterThanOrEqual(4);
    const id = page.content[0].verificationId;
    const res = await other('GET', `/v0/verification/${id}`);
    expect([res.statusCode, res.headers['x-error-code']]).toEqual([404, 'verification_not_found']);
    expect((await other('POST', '/v0/verification/search', {})).json().payload.totalElements).toBe(0);
  });
});
