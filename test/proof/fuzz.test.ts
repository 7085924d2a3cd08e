import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, createTestApp } from '../support/app.js';
import { changedTables, listTables, tableChecksums } from '../support/db-snapshot.js';
import { errorShapeProblem, loadOperations, type Operation } from '../support/openapi-routes.js';
import { fuzzRequests, type FuzzRequest } from '../support/schema-fuzz.js';
import { SANDBOX_TENANT, tenantHeaders } from '../support/tenants.js';
import { printCoverage, type RouteCoverage } from './report.js';

// IV-1 and SQLI-1 (reliability-test-plan §5), issue 5 part 4: every operation of /openapi.json gets
// PROOF_FUZZ_RUNS generated requests (valid-shaped, then one thing broken: wrong types, nulls,
// huge and negative numbers, three-decimal amounts, long and unicode strings, SQL and script
// fragments, duplicated, unknown and missing fields, malformed bodies, hostile path, query and
// header values). No request may get a 5xx; every 4xx must be in its family's error shape; a 4xx
// must not change any row (a checksum of every table before and after). docs/testing.md.

const RUNS = Number(process.env['PROOF_FUZZ_RUNS'] ?? 40);
const SEED = Number(process.env['PROOF_FUZZ_SEED'] ?? 20260101);

/**
 * Tables a refused request may legitimately change, and when (docs/testing.md lists the reasons).
 * Anything else that changes on a 4xx fails the suite.
 */
const MAY_CHANGE_ON_4XX: { table: string; when: (op: Operation, req: FuzzRequest) => boolean; reason: string }[] = [
  {
    table: 'idempotency_keys',
    when: (_op, req) => req.headers['idempotency-key'] !== undefined,
    reason: 'a 4xx answered by the handler is stored under its Idempotency-Key so that a retry replays it (ADR 0010, Stripe semantics)',
  },
  {
    table: 'users',
    when: (op) => op.path === '/oauth/token',
    reason: 'a wrong password for a known username counts a failed attempt and may lock the user (OA-6)',
  },
];

const t = await createTestApp({ background: { workers: false, timerPollMs: null } });
const operations = await loadOperations(t.app);
const headers = await tenantHeaders(t.app, SANDBOX_TENANT);
const tables = await listTables(t.database);
const coverage: RouteCoverage[] = [];
let snapshot = await tableChecksums(t.database, tables);

afterAll(async () => {
  printCoverage('fuzz (IV-1, SQLI-1)', coverage, ['requests', '2xx', '4xx']);
  await t.close();
});

function seedOf(key: string): number {
  let h = SEED;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describe(`fuzzing every route of /openapi.json on ${backend} (${RUNS} runs each)`, () => {
  it('finds the routes of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.map((o) => o.key)).toContain('POST /oauth/token');
  });

  for (const op of operations) {
    it(op.key, async () => {
      const row: RouteCoverage = { route: op.key, counts: { requests: 0, '2xx': 0, '4xx': 0 } };
      coverage.push(row);
      const arbitrary = fuzzRequests(op, { auth: headers[op.auth], fill: { companyId: SANDBOX_TENANT.companyId } });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          const res = await t.app.inject({
            method: req.method as 'GET',
            url: req.url,
            headers: req.headers,
            ...(req.payload !== undefined ? { payload: req.payload } : {}),
          });
          row.counts['requests']! += 1;
          const after = await tableChecksums(t.database, tables);
          const changed = changedTables(snapshot, after);
          snapshot = after;
          const what = `${req.mutation}: ${req.method} ${req.url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          if (res.statusCode >= 400) {
            row.counts['4xx']! += 1;
            expect(errorShapeProblem(op.family, res), what).toBeNull();
            const unexpected = changed.filter((table) => !MAY_CHANGE_ON_4XX.some((m) => m.table === table && m.when(op, req)));
            expect(unexpected, `rows changed by a refused request (${what})`).toEqual([]);
          } else {
            row.counts['2xx']! += 1;
          }
        }),
        { numRuns: RUNS, seed: seedOf(op.key) },
      );
    });
  }
});
