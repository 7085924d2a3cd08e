import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_ROWS } from '../../src/products/verification/bulk/service.js';
import { backend, createTestApp, createTestDatabase, queryRows, type TestApp } from '../support/app.js';
import { newCompany } from '../support/payouts.js';
import { countStatements } from '../support/statements.js';

/**
 * The bulk runner (ADR 0043): two app instances on one database run one job's batches at once and
 * never run a row twice (each row claimed once: SKIP LOCKED on PostgreSQL; on PGlite the one
 * embedded connection serialises the claims), and a batch stays within its statement budget.
 */
describe(`bulk runners (${backend})`, () => {
  let a: TestApp;
  let b: TestApp;
  let bearer: string;
  let companyId: string;
  const pan = (i: number) => `ABCP${String.fromCharCode(65 + (i % 26))}${String(i % 10_000).padStart(4, '0')}Z`;
  const upload = async (referenceId: string, rows: number) => {
    const csv = ['pan', ...Array.from({ length: rows }, (_, i) => pan(i + 1))].join('\n');
    const res = await a.app.inject({
      method: 'POST',
      url: `/api/v0/verification/bulk?checkType=PAN&referenceId=${referenceId}&consent=Y&purpose=race`,
      headers: { authorization: bearer, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload.jobId as string;
  };

  beforeAll(async () => {
    const database = await createTestDatabase(20);
    // No queue workers: the test runs the batches itself, on both instances at once.
    const background = { workers: false, timerPollMs: null };
    a = await createTestApp({ database, background });
    b = await createTestApp({ database, seed: false, background });
    ({ bearer, companyId } = await newCompany(a, 'Runners'));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await a?.database.close();
  });

  it('two runners on one job: every row run exactly once, both ran some, the job COMPLETED once', async () => {
    const rows = 1_000;
    const jobId = await upload('RACE-1', rows);
    const drain = async (t: TestApp) => {
      let runs = 0;
      const claimed: number[] = [];
      for (;;) {
        const n = await t.services.verificationBulk.runBatch(companyId, jobId, 20);
        if (n === 0) return { runs, claimed };
        runs++;
        claimed.push(n);
      }
    };
    const [a1, b1, a2, b2] = await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    expect(a1!.runs + a2!.runs, 'batches run by instance a').toBeGreaterThan(0);
    expect(b1!.runs + b2!.runs, 'batches run by instance b').toBeGreaterThan(0);
    const counts = await queryRows<{ attempts: number; n: number }>(
      a.database,
      sql`select attempts, count(*)::int as n from verification_bulk_rows where job_id = ${jobId} group by attempts`,
    );
    expect(counts).toEqual([{ attempts: 1, n: rows }]);
    const claimers = await queryRows<{ n: number }>(
      a.database,
      sql`select count(distinct claimed_by)::int as n from verification_bulk_rows where job_id = ${jobId}`,
    );
    expect(claimers[0]!.n).toBe(rows / 20);
    const checks = await queryRows<{ n: number }>(
      a.database,
      sql`select count(*)::int as n from verification_checks where company_id = ${companyId} and reference_id like 'RACE-1-%'`,
    );
    expect(checks[0]!.n).toBe(rows);
    const job = await a.services.verificationBulk.get(companyId, jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', rowsDone: rows, rowsFailed: 0 });
    const events = await queryRows<{ n: number }>(
      a.database,
      sql`select count(*)::int as n from events where company_id = ${companyId} and type = 'VERIFICATION_BULK_COMPLETED'`,
    );
    expect(events[0]!.n).toBe(1);
  });

  it(`a batch of ${BATCH_ROWS} PAN rows sends at most 2 + one insert per row + 5 statements`, async () => {
    const jobId = await upload('BUDGET-1', BATCH_ROWS * 2);
    const { result, statements } = await countStatements(a.database, () => a.services.verificationBulk.runBatch(companyId, jobId));
    expect(result).toBe(BATCH_ROWS);
    // The job read and the claim; one insert per row; BEGIN, the job lock, the rows' end with the counters, the completion check, COMMIT.
    expect(statements).toBeLessThanOrEqual(2 + BATCH_ROWS + 5);
  });
});
