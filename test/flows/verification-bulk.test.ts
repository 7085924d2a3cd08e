import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { listTables, tableText } from '../support/db-snapshot.js';
import { sandboxFund } from '../support/ledger.js';
import { newCompany, type Api } from '../support/payouts.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * Bulk verification jobs (docs/api/verification.md "Bulk jobs", ADR 0043): a 10,000-row CSV with
 * 100 malformed rows runs to COMPLETED with its progress rising, a signed webhook and a result
 * listing exactly those rows as FAILED; replay, cancel, a refused file that writes nothing, penny
 * drops that fail row by row once the balance runs out, no Aadhaar number kept, another
 * company's 404.
 */
describe(`verification bulk jobs (${backend})`, () => {
  let t: TestApp;
  let api: Api;
  let other: Api;
  let companyId: string;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  /** Real time (frozen): webhook receivers check the signature's timestamp against it. */
  const START = new Date(Math.floor(Date.now() / 1000) * 1000);
  let refs = 0;
  const query = (checkType: string, referenceId = `JOB-${++refs}`) =>
    `checkType=${checkType}&referenceId=${referenceId}&consent=Y&purpose=${encodeURIComponent('Vendor onboarding')}`;
  const upload = (qs: string, csv: string, headers: Record<string, string> = {}, as: TestApp['app'] | null = null) =>
    (as ?? t.app).inject({
      method: 'POST',
      url: `/api/v0/verification/bulk?${qs}`,
      headers: { authorization: bearer, 'content-type': 'text/csv', ...headers },
      payload: csv,
    });
  let bearer: string;
  const job = async (id: string, client: Api = api) => (await client('GET', `/v0/verification/bulk/${id}`)).json().payload;
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 50_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (done(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const resultRows = async (id: string) => {
    const res = await api('GET', `/v0/verification/bulk/${id}/result`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...lines] = res.body.trimEnd().split('\r\n');
    expect(header).toBe('row,referenceId,input,status,verificationId,reason');
    return lines.map((l) => {
      const [row, referenceId, input, status, verificationId] = l.split(',');
      return { row: Number(row), referenceId, input, status, verificationId, line: l };
    });
  };
  const count = async (table: string) => Number((await queryRows<{ n: number }>(t.database, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  /** A well-formed PAN of a person for row i (the registry's documented default: VALID). */
  const pan = (i: number) =>
    `ABCP${String.fromCharCode(65 + (i % 26))}${String(i % 10_000).padStart(4, '0')}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}`;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    t.clock.set(START);
    ({ api, companyId, bearer } = await newCompany(t, 'Bulk verifier'));
    ({ api: other } = await newCompany(t, 'Other'));
    const config = await api('POST', '/v0/webhook-data', { webhookUrl: `${rx.url}/bulk`, events: ['VERIFICATION_BULK_COMPLETED'], companyId });
    expect(config.statusCode, config.body).toBe(200);
    secret = config.json().payload.secret;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('10,000 rows with 100 malformed: progress rises, COMPLETED, a signed webhook, the result lists exactly those rows as FAILED', async () => {
    const bad = new Set(Array.from({ length: 100 }, (_, k) => 50 + k * 99));
    const lines = ['pan,name'];
    for (let row = 1; row <= 10_000; row++) lines.push(bad.has(row) ? `BAD${row},Someone` : `${pan(row)},`);
    const res = await upload(query('PAN', 'TENK'), `${lines.join('\n')}\n`);
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json().payload;
    expect(first).toEqual({
      jobId: expect.stringMatching(/^VBJ_/),
      referenceId: 'TENK',
      checkType: 'PAN',
      status: 'QUEUED',
      rowsTotal: 10_000,
      rowsDone: 100,
      rowsFailed: 100,
      purpose: 'Vendor onboarding',
      createdOn: START.toISOString(),
      startedOn: null,
      completedOn: null,
    });
    const seen: number[] = [];
    const done = await until(
      async () => {
        const j = await job(first.jobId);
        seen.push(j.rowsDone);
        return j;
      },
      (j) => j.status === 'COMPLETED',
      120_000,
    );
    expect(done).toMatchObject({
      status: 'COMPLETED',
      rowsTotal: 10_000,
      rowsDone: 10_000,
      rowsFailed: 100,
      startedOn: START.toISOString(),
      completedOn: START.toISOString(),
    });
    // Rising: never down, and seen between the upload's 100 and the end.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(
      seen.some((n) => n > 100 && n < 10_000),
      `progress seen: ${seen.join(' ')}`,
    ).toBe(true);

    const rows = await resultRows(first.jobId);
    expect(rows).toHaveLength(10_000);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(new Set(rows.filter((r) => r.status === 'FAILED').map((r) => r.row))).toEqual(bad);
    expect(rows.find((r) => r.row === 50)!.line).toBe(
      '50,TENK-50,BAD50,FAILED,,"Invalid field pan: must be 5 letters (the 4th a holder type: P, C, H, F, A, T, B, L, J or G), 4 digits, 1 letter"',
    );
    expect(rows.filter((r) => r.status === 'VALID')).toHaveLength(9_900);
    // Each good row is a check of its own, found by its referenceId.
    const r1 = rows[0]!;
    const check = (await api('GET', `/v0/verification/${r1.verificationId}`)).json().payload;
    expect(check).toMatchObject({ referenceId: 'TENK-1', checkType: 'PAN', status: 'VALID', input: pan(1), purpose: 'Vendor onboarding' });

    const delivered = await until(
      async () => rx.received.find((r) => r.body.includes(first.jobId)),
      (r) => r !== undefined,
      15_000,
    );
    const body = new Webhook(secret).verify(delivered!.body, {
      'webhook-id': String(delivered!.headers['webhook-id']),
      'webhook-timestamp': String(delivered!.headers['webhook-timestamp']),
      'webhook-signature': String(delivered!.headers['webhook-signature']),
    });
    expect(body).toEqual({ event: 'VERIFICATION_BULK_COMPLETED', ...done });
  }, 180_000);

  it('the same referenceId and file replay the job; another file under it is 409; the same Idempotency-Key replays the answer', async () => {
    const csv = `pan\n${pan(1)}\n${pan(2)}\n`;
    const a = await upload(query('PAN', 'REPLAY-1'), csv);
    expect(a.statusCode, a.body).toBe(200);
    const id = a.json().payload.jobId;
    await until(
      () => job(id),
      (j) => j.status === 'COMPLETED',
    );
    const again = await upload(query('PAN', 'REPLAY-1'), csv);
    expect(again.json().payload).toEqual(await job(id));
    expect(await count(`verification_bulk_rows where job_id = '${id}'`)).toBe(2);
    const otherFile = await upload(query('PAN', 'REPLAY-1'), `pan\n${pan(3)}\n`);
    expect([otherFile.statusCode, otherFile.headers['x-error-code']]).toEqual([409, 'bulk_reference_conflict']);
    const otherType = await upload(query('GSTIN', 'REPLAY-1'), 'gstin\n27AAPFU0939F1ZV\n');
    expect([otherType.statusCode, otherType.headers['x-error-code']]).toEqual([409, 'bulk_reference_conflict']);

    const key = { 'idempotency-key': `bulk-${START.getTime()}` };
    const k1 = await upload(query('PAN', 'IDEM-1'), csv, key);
    const k2 = await upload(query('PAN', 'IDEM-1'), csv, key);
    expect(k2.headers['idempotent-replayed']).toBe('true');
    expect(k2.body).toBe(k1.body);
  });

  it('a file that cannot be read is 422 naming the problem and writes nothing', async () => {
    const jobs = await count('verification_bulk_jobs');
    const rows = await count('verification_bulk_rows');
    const cases: [string, string, string][] = [
      ['PAN', `${pan(1)}\n${pan(2)}\n`, `Invalid file: unknown column "${pan(1)}" in the header line; the columns of PAN are pan, name, referenceId`],
      ['PAN', `pan,email\n${pan(1)},a@b.c\n`, 'Invalid file: unknown column "email" in the header line; the columns of PAN are pan, name, referenceId'],
      ['BANK_ACCOUNT', 'accountNumber\n100000000001\n', 'Invalid file: the header line has no column ifsc'],
      ['PAN', '', 'Invalid file: no header line'],
      ['PAN', 'pan\n', 'Invalid file: no row after the header line'],
      ['PAN', `pan,name\n${pan(1)},"Ravi\n`, 'Invalid CSV: a quoted field opened on line 2 is not closed'],
      ['PAN', `pan\n${Array.from({ length: 10_001 }, (_, i) => pan(i)).join('\n')}`, 'Invalid file: 10001 rows; a job takes at most 10000'],
    ];
    for (const [type, csv, message] of cases) {
      const res = await upload(query(type), csv);
      expect([res.statusCode, res.json(), res.headers['x-error-code']], message).toEqual([
        422,
        { response_code: 422, response_message: message, payload: null },
        'invalid_bulk_file',
      ]);
    }
    const noConsent = await upload(`checkType=PAN&referenceId=NC-1&purpose=x`, `pan\n${pan(1)}\n`);
    expect([noConsent.statusCode, noConsent.json().response_message]).toEqual([422, 'Missing required field consent']);
    const json = await api('POST', `/v0/verification/bulk?${query('PAN')}`, { pan: pan(1) });
    expect(json.statusCode).toBe(400);
    expect(await count('verification_bulk_jobs')).toBe(jobs);
    expect(await count('verification_bulk_rows')).toBe(rows);
  });

  it('cancel: rows not yet run are CANCELLED and no webhook is sent; a second cancel is 409', async () => {
    const lines = ['pan'];
    for (let row = 1; row <= 5_000; row++) lines.push(pan(row + 20_000));
    const res = await upload(query('PAN', 'CANCEL-1'), lines.join('\n'));
    const id = res.json().payload.jobId;
    const cancelled = await api('POST', `/v0/verification/bulk/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().payload).toMatchObject({ status: 'CANCELLED', completedOn: START.toISOString() });
    // A batch under way ends its rows; then nothing moves.
    const settled = await until(
      async () => [await count(`verification_bulk_rows where job_id = '${id}' and status = 'QUEUED'`), await job(id)] as const,
      ([queued]) => queued === 0,
    );
    const [, end] = settled;
    expect(end.status).toBe('CANCELLED');
    expect(end.rowsDone).toBeLessThan(5_000);
    const rows = await resultRows(id);
    expect(rows.filter((r) => r.status === 'CANCELLED')).toHaveLength(5_000 - end.rowsDone);
    expect(rows.filter((r) => r.status === 'VALID')).toHaveLength(end.rowsDone);
    const again = await api('POST', `/v0/verification/bulk/${id}/cancel`);
    expect([again.statusCode, again.headers['x-error-code']]).toEqual([409, 'bulk_job_ended']);
    expect(rx.received.some((r) => r.body.includes(id))).toBe(false);
  });

  it('penny drops run row by row: once the balance runs out each row fails with the short balance, the rest still run', async () => {
    await sandboxFund(t.database.db, t.services.ledger, companyId, 3_00n, 'bulk-penny-funds', 'payout_float');
    const csv = [
      'accountNumber,ifsc,name',
      '100000000001,HDFC0000001,Ravi Kumar Sharma',
      '100000000001,HDFC0000001,',
      '12,HDFC0000001,',
      '100000000001,HDFC0000001,',
      '100000000001,HDFC0000001,',
    ].join('\n');
    const res = await upload(query('BANK_ACCOUNT', 'PENNY-1'), csv);
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().payload.jobId;
    const done = await until(
      () => job(id),
      (j) => j.status === 'COMPLETED',
    );
    expect(done).toMatchObject({ rowsTotal: 5, rowsDone: 5, rowsFailed: 2 });
    const rows = await resultRows(id);
    expect(rows.map((r) => [r.row, r.input, r.status])).toEqual([
      [1, 'XXXXXXXX0001@HDFC0000001', 'VALID'],
      [2, 'XXXXXXXX0001@HDFC0000001', 'VALID'],
      [3, '12@HDFC0000001', 'FAILED'],
      [4, 'XXXXXXXX0001@HDFC0000001', 'VALID'],
      [5, 'XXXXXXXX0001@HDFC0000001', 'FAILED'],
    ]);
    expect(rows[2]!.line.endsWith('Invalid field accountNumber: must be 6 to 18 digits')).toBe(true);
    expect(rows[4]!.line.endsWith('Insufficient balance: the payout balance cannot pay the ₹1.00 penny drop')).toBe(true);
  });

  it('Aadhaar rows keep only the masked number and a keyed hash: no full number in any table or log', async () => {
    const numbers = ['234123412346', '499118665246', '234123412347'];
    const res = await upload(query('AADHAAR', 'AADHAAR-1'), `aadhaarNumber\n${numbers[0]}\n${numbers[1]!.replace(/(\d{4})/g, '$1 ').trim()}\n${numbers[2]}\n`);
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().payload.jobId;
    await until(
      () => job(id),
      (j) => j.status === 'COMPLETED',
    );
    const rows = await resultRows(id);
    expect(rows.map((r) => [r.input, r.status])).toEqual([
      ['XXXX XXXX 2346', 'VALID'],
      ['XXXX XXXX 5246', 'VALID'],
      ['XXXX XXXX 2347', 'FAILED'],
    ]);
    for (const table of await listTables(t.database)) {
      const text = (await tableText(t.database, table)).join('\n');
      for (const n of numbers) expect(text.includes(n), `${n} in ${table}`).toBe(false);
    }
    for (const n of numbers) expect(t.logs.lines.some((l) => l.includes(n))).toBe(false);
  });

  it("another company's token gets 404 on the job, its result and its cancel", async () => {
    const res = await upload(query('PAN', 'MINE-1'), `pan\n${pan(7)}\n`);
    const id = res.json().payload.jobId;
    for (const [method, url] of [
      ['GET', `/v0/verification/bulk/${id}`],
      ['GET', `/v0/verification/bulk/${id}/result`],
      ['POST', `/v0/verification/bulk/${id}/cancel`],
    ] as const) {
      const r = await other(method, url);
      expect([r.statusCode, r.json(), r.headers['x-error-code']]).toEqual([
        404,
        { response_code: 404, response_message: `No bulk job ${id}`, payload: null },
        'bulk_job_not_found',
      ]);
    }
  });
});
