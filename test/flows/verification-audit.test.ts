import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { newId } from '../../src/core/ids/ids.js';
import { EXPORT_PAGE } from '../../src/products/verification/audit.js';
import { DEFAULT_CONSENT_TEXT, type VerificationCheck } from '../../src/products/verification/model.js';
import * as checks from '../../src/products/verification/repository.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { basic, postForm } from '../support/oauth.js';
import { apiClient, newCompany, START, type Api } from '../support/payouts.js';
import { countStatements } from '../support/statements.js';

/**
 * Consent and audit (issue 20 part 12, ADR 0044, docs/api/verification.md): one audit record per
 * check (a replay adds none, a refused input none), the database refusing any other change of it,
 * search and CSV export with their filters, the results purged on the sandbox clock after the
 * company's retention with the audit kept, and another company seeing none of it.
 */
describe(`verification consent and audit (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let companyId: string;
  let username: string;
  let clerk: Api;
  let other: Api;
  let n = 0;
  const ref = () => `AUD-${++n}`;
  const consent = (purpose = 'Vendor onboarding') => ({ referenceId: ref(), consent: 'Y', purpose });
  const put = (as: Api, url: string, payload: object) => (as as (m: string, u: string, p: object) => ReturnType<Api>)('PUT', url, payload);
  const check = async (as: Api, type: string, body: object, headers: Record<string, string> = {}) => {
    const res = await as('POST', `/v0/verification/${type}`, body, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload;
  };
  const search = async (as: Api, body: object = {}) => {
    const res = await as('POST', '/v0/verification/audit/search', body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload;
  };
  const exportCsv = (as: Api, query = '') => as('GET', `/v0/verification/audit/export${query}`);
  /** RFC 4180 records of a CSV text (quoted fields with commas, quotes and line breaks). */
  const parseCsv = (text: string): string[][] => {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted && c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (quoted && c === '"') quoted = false;
      else if (quoted) field += c;
      else if (c === '"') quoted = true;
      else if (c === ',') {
        row.push(field);
        field = '';
      } else if (c === '\r' && text[i + 1] === '\n') {
        row.push(field);
        rows.push(row);
        row = [];
        field = '';
        i++;
      } else field += c;
    }
    expect(field + row.join('')).toBe('');
    return rows;
  };

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null } });
    const a = await newCompany(t, 'Auditor');
    ({ api, companyId } = a);
    username = `payouts.${companyId.toLowerCase()}@example.com`;
    // A second user of the company: the audit names who asked.
    await t.services.identity.createUser({ companyId, username: 'clerk@example.com', password: 'Clerk@12345' });
    const grant = await postForm(
      t.app,
      '/oauth/token',
      { username: 'clerk@example.com', password: 'Clerk@12345', grant_type: 'password', clientId: companyId },
      basic(companyId, a.secret),
    );
    expect(grant.statusCode, grant.body).toBe(200);
    clerk = apiClient(t, `Bearer ${grant.json().access_token}`);
    ({ api: other } = await newCompany(t, 'Outsider'));
  });
  afterAll(async () => t?.close());

  it('one audit record per check: who, IP, when, purpose, consent text, masked input, outcome, data version', async () => {
    const pan = { ...consent('Payee KYC'), pan: 'AAJPS2345Q', name: 'Ravi Kumar Sharma', consentText: 'I agree to a PAN check by Auditor Ltd.' };
    const first = await check(api, 'pan', pan);
    // A replay answers the first check and records nothing more.
    expect(await check(api, 'pan', pan)).toEqual(first);
    const aadhaar = await check(clerk, 'aadhaar', { ...consent('Payee KYC'), aadhaarNumber: '2341 2341 2346' });
    // Refused before any lookup: nothing recorded, so no audit record.
    expect((await api('POST', '/v0/verification/pan', { ...consent(), pan: 'AAJPS2345' })).statusCode).toBe(400);
    expect((await api('POST', '/v0/verification/pan', { referenceId: ref(), pan: 'AAJPS2345Q' })).statusCode).toBe(422);

    const page = await search(api, { purpose: 'Payee KYC' });
    expect(page).toMatchObject({ totalElements: 2, totalPages: 1, size: 20, number: 0, offset: 0 });
    // Both at the same sandbox instant: newest first ties on the id, so compare them by type.
    const byType = [...page.content].sort((x: { checkType: string }, y: { checkType: string }) => x.checkType.localeCompare(y.checkType));
    expect(byType).toEqual([
      {
        verificationId: aadhaar.verificationId,
        referenceId: aadhaar.referenceId,
        checkType: 'AADHAAR',
        status: 'VALID',
        message: 'The Aadhaar number is well formed and its check digit is valid',
        input: 'XXXX XXXX 2346',
        purpose: 'Payee KYC',
        consentText: DEFAULT_CONSENT_TEXT,
        requestedBy: 'clerk@example.com',
        requestIp: '127.0.0.1',
        dataVersion: 'tijori-sandbox-registries-2026.12',
        createdOn: START.toISOString(),
        completedOn: START.toISOString(),
        purgedOn: null,
      },
      {
        verificationId: first.verificationId,
        referenceId: pan.referenceId,
        checkType: 'PAN',
        status: 'VALID',
        message: 'The PAN is valid',
        input: 'AAJPS2345Q',
        purpose: 'Payee KYC',
        consentText: 'I agree to a PAN check by Auditor Ltd.',
        requestedBy: username,
        requestIp: '127.0.0.1',
        dataVersion: 'tijori-sandbox-registries-2026.12',
        createdOn: START.toISOString(),
        completedOn: START.toISOString(),
        purgedOn: null,
      },
    ]);
    // The refused requests' referenceIds have no record.
    expect((await search(api, { referenceId: `AUD-${n}` })).totalElements).toBe(0);
    expect((await search(api, { referenceId: `AUD-${n - 1}` })).totalElements).toBe(0);
    // The audit never holds the full Aadhaar number (search or export).
    expect(JSON.stringify(page)).not.toContain('234123412346');
    const csv = await exportCsv(api, '?checkType=AADHAAR');
    expect(csv.body).toContain('XXXX XXXX 2346');
    expect(csv.body.replaceAll(' ', '')).not.toContain('234123412346');
  });

  it('the database refuses any change of an audit record but the end of a PENDING check and the purge of its result', async () => {
    const done = await check(api, 'gstin', { ...consent('Refusals'), gstin: '27AABCT1234E1ZS', name: 'Tijori Test Pvt Ltd' });
    const row = async () =>
      (await queryRows<Record<string, unknown>>(t.database.db, sql`select * from verification_checks where id = ${done.verificationId}`))[0];
    const before = await row();
    const refusedSql = async (statement: ReturnType<typeof sql>) => {
      const err = await t.database.db.execute(statement).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, 'the statement ran').not.toBeNull();
      expect(String((err as { cause?: unknown }).cause ?? err)).toMatch(/verification_checks/);
    };
    const id = done.verificationId as string;
    await refusedSql(sql`delete from verification_checks where id = ${id}`);
    await refusedSql(sql`truncate verification_checks`);
    await refusedSql(sql`update verification_checks set requested_by = 'someone else' where id = ${id}`);
    await refusedSql(sql`update verification_checks set consent_text = 'other wording' where id = ${id}`);
    await refusedSql(sql`update verification_checks set request_ip = null where id = ${id}`);
    await refusedSql(sql`update verification_checks set created_at = created_at - interval '1 day' where id = ${id}`);
    await refusedSql(sql`update verification_checks set status = 'INVALID' where id = ${id}`);
    await refusedSql(sql`update verification_checks set result = '{"legalName":"FORGED"}'::jsonb where id = ${id}`);
    // A purge nulls all the result columns of an ended check, and only them.
    await refusedSql(sql`update verification_checks set purged_at = now() where id = ${id}`);
    await refusedSql(sql`update verification_checks set result = null, name_match = null, name = null, purged_at = now(), message = 'x' where id = ${id}`);
    expect(await row()).toEqual(before);
    await t.database.db.execute(sql`update verification_checks set result = null, name_match = null, name = null, purged_at = now() where id = ${id}`);
    const purged = await row();
    await refusedSql(sql`update verification_checks set purged_at = null where id = ${id}`);
    await refusedSql(sql`update verification_checks set result = '{}'::jsonb where id = ${id}`);
    expect(await row()).toEqual(purged);
    expect((await api('GET', `/v0/verification/${id}`)).json().payload).toMatchObject({
      status: 'VALID',
      result: null,
      nameMatch: null,
      purgedOn: expect.any(String),
    });
  });

  it('search: filters (type, status, dates, purpose, referenceId, createdBy) and pagination, newest first', async () => {
    const c = await newCompany(t, 'Searcher');
    const user = `payouts.${c.companyId.toLowerCase()}@example.com`;
    const made: { id: string; type: string; status: string; purpose: string; on: string }[] = [];
    const bodies: [string, object, string][] = [
      ['pan', { pan: 'AAJPS2345Q' }, 'VALID'],
      ['pan', { pan: 'ZZZPZ9999Z' }, 'NOT_FOUND'],
      ['gstin', { gstin: '27AABCT1234E1ZS' }, 'VALID'],
      ['cin', { cin: 'U72900MH2017PTC123456' }, 'VALID'],
      ['llpin', { llpin: 'ZZZ-9999' }, 'NOT_FOUND'],
    ];
    for (const [i, [type, body, status]] of bodies.entries()) {
      const purpose = i % 2 === 0 ? 'Even' : 'Odd';
      const p = await check(c.api, type, { ...consent(purpose), ...body });
      expect(p.status).toBe(status);
      made.push({ id: p.verificationId, type: p.checkType, status, purpose, on: p.createdOn });
      expect((await c.api('POST', '/v0/sandbox/clock/advance', { seconds: 3600 })).statusCode).toBe(200);
    }
    const ids = async (body: object) => ((await search(c.api, body)).content as { verificationId: string }[]).map((r) => r.verificationId);
    const newestFirst = [...made].reverse();
    expect(await ids({})).toEqual(newestFirst.map((m) => m.id));
    expect(await ids({ checkType: 'PAN' })).toEqual([made[1]!.id, made[0]!.id]);
    expect(await ids({ status: 'NOT_FOUND' })).toEqual([made[4]!.id, made[1]!.id]);
    expect(await ids({ purpose: 'Odd' })).toEqual([made[3]!.id, made[1]!.id]);
    expect(await ids({ purpose: 'odd' })).toEqual([]);
    expect(await ids({ referenceId: (await search(c.api, {})).content[2].referenceId })).toEqual([made[2]!.id]);
    expect(await ids({ createdBy: user })).toEqual(newestFirst.map((m) => m.id));
    expect(await ids({ createdBy: 'clerk@example.com' })).toEqual([]);
    expect(await ids({ fromDate: made[1]!.on, toDate: made[3]!.on })).toEqual([made[2]!.id, made[1]!.id]);
    expect(await ids({ checkType: 'PAN', status: 'VALID', purpose: 'Even' })).toEqual([made[0]!.id]);
    const page = await search(c.api, { limit: 2, offset: 2 });
    expect(page).toMatchObject({ totalElements: 5, totalPages: 3, size: 2, number: 1, offset: 2 });
    expect(page.content.map((r: { verificationId: string }) => r.verificationId)).toEqual([made[2]!.id, made[1]!.id]);
    // Bad filters: the envelope naming the field, nothing read.
    const bad = await c.api('POST', '/v0/verification/audit/search', { status: 'DONE' });
    expect([bad.statusCode, bad.json().response_code, bad.json().payload]).toEqual([400, 400, null]);
    expect(bad.json().response_message).toMatch(/status/);
  });

  it('export: CSV of the filtered records, oldest first, fields quoted and formulas neutralised; bad filters refused', async () => {
    const c = await newCompany(t, 'Exporter');
    const tricky = await check(c.api, 'pan', { ...consent('Vendor, "urgent"\nline two'), pan: 'AAJPS2345Q' });
    expect((await c.api('POST', '/v0/sandbox/clock/advance', { seconds: 60 })).statusCode).toBe(200);
    const formula = await check(c.api, 'gstin', { ...consent('=HYPERLINK("http://x")'), gstin: '27AABCT1234E1ZS' });
    const LATER = new Date(START.getTime() + 60_000).toISOString();
    const res = await exportCsv(c.api);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="verification-audit-${c.companyId}.csv"`);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([
      'verificationId',
      'referenceId',
      'checkType',
      'status',
      'message',
      'input',
      'purpose',
      'consentText',
      'requestedBy',
      'requestIp',
      'dataVersion',
      'createdOn',
      'completedOn',
      'purgedOn',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        tricky.verificationId,
        tricky.referenceId,
        'PAN',
        'VALID',
        'The PAN is valid',
        'AAJPS2345Q',
        'Vendor, "urgent"\nline two',
        DEFAULT_CONSENT_TEXT,
        `payouts.${c.companyId.toLowerCase()}@example.com`,
        '127.0.0.1',
        'tijori-sandbox-registries-2026.12',
        START.toISOString(),
        START.toISOString(),
        '',
      ],
      [
        formula.verificationId,
        formula.referenceId,
        'GSTIN',
        'VALID',
        'The GSTIN is active',
        '27AABCT1234E1ZS',
        `'=HYPERLINK("http://x")`,
        DEFAULT_CONSENT_TEXT,
        `payouts.${c.companyId.toLowerCase()}@example.com`,
        '127.0.0.1',
        'tijori-sandbox-registries-2026.12',
        LATER,
        LATER,
        '',
      ],
    ]);
    expect(parseCsv((await exportCsv(c.api, '?checkType=GSTIN')).body).map((r) => r[0])).toEqual(['verificationId', formula.verificationId]);
    expect(parseCsv((await exportCsv(c.api, `?referenceId=${tricky.referenceId}&status=VALID`)).body).map((r) => r[0])).toEqual([
      'verificationId',
      tricky.verificationId,
    ]);
    expect(parseCsv((await exportCsv(c.api, `?fromDate=${encodeURIComponent(LATER)}`)).body).map((r) => r[0])).toEqual([
      'verificationId',
      formula.verificationId,
    ]);
    expect(parseCsv((await exportCsv(c.api, `?toDate=${encodeURIComponent(LATER)}`)).body).map((r) => r[0])).toEqual(['verificationId', tricky.verificationId]);
    for (const query of ['?status=DONE', '?fromDate=yesterday', '?checkType=PAN&checkType=GSTIN']) {
      const bad = await exportCsv(c.api, query);
      expect([bad.statusCode, bad.headers['content-type'], bad.json().payload], query).toEqual([400, 'application/json; charset=utf-8', null]);
    }
  });

  it(`export streams any size: 2,000 records read ${EXPORT_PAGE} at a time, each once, in order`, async () => {
    const c = await newCompany(t, 'Bulk exporter');
    const base: VerificationCheck = {
      id: '',
      companyId: c.companyId,
      referenceId: '',
      checkType: 'GSTIN',
      status: 'VALID',
      inputMasked: '27AABCT1234E1ZS',
      inputHash: 'h',
      name: null,
      result: { legalName: 'TIJORI TEST PRIVATE LIMITED' },
      nameMatch: null,
      message: 'The GSTIN is active',
      consentPurpose: 'Bulk',
      consentText: DEFAULT_CONSENT_TEXT,
      requestedBy: 'bulk',
      requestIp: null,
      dataVersion: 'tijori-sandbox-registries-2026.12',
      createdAt: START,
      completedAt: START,
      purgedAt: null,
    };
    // The product's own insert; a hundred share each instant, so the keyset's id tie-break is exercised.
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const at = new Date(START.getTime() + Math.floor(i / 100) * 1000);
      const id = newId('VRF', at);
      ids.push(id);
      expect(await checks.insertCheck(t.database.db, { ...base, id, referenceId: `BULK-${i}`, createdAt: at, completedAt: at })).not.toBeNull();
    }
    const { result: res, statements } = await countStatements(t.database, () => exportCsv(c.api));
    expect(res.statusCode).toBe(200);
    const rows = parseCsv(res.body);
    expect(rows).toHaveLength(2001);
    const expected = ids.map((id, i) => ({ id, at: Math.floor(i / 100) })).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((e) => e.id));
    expect(rows.slice(1).every((r) => r.length === 14 && r[6] === 'Bulk' && r[13] === '')).toBe(true);
    // The token, then one read per page of EXPORT_PAGE (the last one short or empty): never one query for all.
    expect(statements).toBe(1 + Math.floor(2000 / EXPORT_PAGE) + 1);
    // Over real HTTP the body is sent as it is read: chunked, with no length known up front.
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address() as { port: number };
    const http = await fetch(`http://127.0.0.1:${address.port}/api/v0/verification/audit/export`, { headers: { authorization: c.bearer } });
    expect([http.status, http.headers.get('transfer-encoding'), http.headers.get('content-length')]).toEqual([200, 'chunked', null]);
    expect(await http.text()).toBe(res.body);
  });

  it('results are purged on the sandbox clock after resultRetentionDays; the audit record and the check stay', async () => {
    const c = await newCompany(t, 'Retainer');
    const settings = await put(c.api, '/v0/verification/settings', { resultRetentionDays: 1 });
    expect(settings.json()).toEqual({
      response_code: 0,
      response_message: 'SUCCESS',
      payload: { nameMatchThresholds: { match: 85, partial: 60 }, resultRetentionDays: 1 },
    });
    const pan = await check(c.api, 'pan', { ...consent(), pan: 'AAJPS2345Q', name: 'R K Sharma' });
    // A minute apart: the audit lists newest first, and two checks of one instant tie.
    expect((await c.api('POST', '/v0/sandbox/clock/advance', { seconds: 60 })).statusCode).toBe(200);
    const account = await check(c.api, 'bank-account', {
      ...consent(),
      accountNumber: '100000000001',
      ifsc: 'HDFC0000001',
      name: 'Ravi Kumar Sharma',
      pennyLess: true,
    });
    expect(account.result).toMatchObject({ nameAtBank: expect.any(String) });
    const get = async (id: string) => (await c.api('GET', `/v0/verification/${id}`)).json().payload;
    // START is 15:37 IST on 27 November; a day later the results are due, and the sweep at 00:00 IST on 29 November purges them.
    const sweep = '2026-11-28T18:30:00.000Z';
    expect((await c.api('POST', '/v0/sandbox/clock/advance', { to: '2026-11-28T18:29:00.000Z' })).statusCode).toBe(200);
    const later = await check(c.api, 'gstin', { ...consent(), gstin: '27AABCT1234E1ZS', name: 'Tijori Test' });
    expect(await get(pan.verificationId)).toEqual(pan);
    expect((await c.api('POST', '/v0/sandbox/clock/advance', { to: '2026-11-28T18:31:00.000Z' })).statusCode).toBe(200);
    for (const before of [pan, account]) {
      expect(await get(before.verificationId)).toEqual({ ...before, result: null, nameMatch: null, purgedOn: sweep });
    }
    expect(await get(later.verificationId)).toEqual(later);
    // A replay answers the purged check; the audit keeps every record.
    expect(
      await check(c.api, 'pan', { referenceId: pan.referenceId, consent: 'Y', purpose: 'Vendor onboarding', pan: 'AAJPS2345Q', name: 'R K Sharma' }),
    ).toMatchObject({
      verificationId: pan.verificationId,
      result: null,
      purgedOn: sweep,
    });
    const audit = (await search(c.api)).content as { verificationId: string; purgedOn: string | null; input: string; status: string }[];
    expect(audit.map((r) => [r.verificationId, r.status, r.input, r.purgedOn])).toEqual([
      [later.verificationId, 'VALID', '27AABCT1234E1ZS', null],
      [account.verificationId, 'VALID', '100000000001@HDFC0000001', sweep],
      [pan.verificationId, 'VALID', 'AAJPS2345Q', sweep],
    ]);
    // The later check goes at the first sweep after its own day: 00:00 IST on 30 November.
    expect((await c.api('POST', '/v0/sandbox/clock/advance', { to: '2026-11-29T18:31:00.000Z' })).statusCode).toBe(200);
    expect(await get(later.verificationId)).toMatchObject({ result: null, nameMatch: null, purgedOn: '2026-11-29T18:30:00.000Z' });
    // No purged result remains in the table.
    const kept = await queryRows<{ n: number | string }>(
      t.database.db,
      sql`select count(*) as n from verification_checks where company_id = ${c.companyId} and (result is not null or name_match is not null or name is not null)`,
    );
    expect(Number(kept[0]!.n)).toBe(0);
  });

  it('by default a result is kept 180 days', async () => {
    const c = await newCompany(t, 'Default retention');
    expect((await c.api('GET', '/v0/verification/settings')).json().payload).toEqual({
      nameMatchThresholds: { match: 85, partial: 60 },
      resultRetentionDays: 180,
    });
    const p = await check(c.api, 'pan', { ...consent(), pan: 'AAJPS2345Q' });
    await c.api('POST', '/v0/sandbox/clock/advance', { seconds: 179 * 86_400 });
    expect((await c.api('GET', `/v0/verification/${p.verificationId}`)).json().payload).toEqual(p);
    await c.api('POST', '/v0/sandbox/clock/advance', { seconds: 2 * 86_400 });
    expect((await c.api('GET', `/v0/verification/${p.verificationId}`)).json().payload).toMatchObject({ result: null, purgedOn: expect.any(String) });
  });

  it('settings: resultRetentionDays from 1 to 3650, a bad value refused with nothing changed', async () => {
    const c = await newCompany(t, 'Bad settings');
    for (const body of [{ resultRetentionDays: 0 }, { resultRetentionDays: 3651 }, { resultRetentionDays: 1.5 }, {}]) {
      const res = await put(c.api, '/v0/verification/settings', body);
      expect([res.statusCode, res.json().payload], JSON.stringify(body)).toEqual([400, null]);
    }
    expect((await c.api('GET', '/v0/verification/settings')).json().payload.resultRetentionDays).toBe(180);
    expect((await put(c.api, '/v0/verification/settings', { resultRetentionDays: 3650 })).json().payload.resultRetentionDays).toBe(3650);
    // The thresholds alone keep the retention.
    expect((await put(c.api, '/v0/verification/settings', { nameMatchThresholds: { match: 90, partial: 50 } })).json().payload).toEqual({
      nameMatchThresholds: { match: 90, partial: 50 },
      resultRetentionDays: 3650,
    });
  });

  it("another company's token sees none of the audit records", async () => {
    const mine = await search(api, {});
    expect(mine.totalElements).toBeGreaterThan(0);
    const theirs = await search(other, {});
    expect(theirs.totalElements).toBe(0);
    expect((await search(other, { referenceId: mine.content[0].referenceId })).totalElements).toBe(0);
    expect((await search(other, { createdBy: username })).totalElements).toBe(0);
    const csv = await exportCsv(other, `?referenceId=${mine.content[0].referenceId}`);
    expect(parseCsv(csv.body)).toHaveLength(1);
    expect((await other('GET', `/v0/verification/${mine.content[0].verificationId}`)).statusCode).toBe(404);
  });
});
