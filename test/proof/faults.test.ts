import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createStatementFaults } from '../../src/core/db/faults.js';
import { backend, createTestApp, createTestDatabase, queryRows } from '../support/app.js';
import { changedTables, listTables, tableChecksums } from '../support/db-snapshot.js';
import { errorShapeProblem, loadOperations, type Operation } from '../support/openapi-routes.js';
import { sampleRequest, type FuzzRequest } from '../support/schema-fuzz.js';
import { SANDBOX_TENANT, tenantHeaders } from '../support/tenants.js';
import { printCoverage, type RouteCoverage } from './report.js';
import { TENANT_FIXTURE, type ApiStep, type FixtureContext } from './tenant-fixture.js';

// Issue 16 item 3, ADR 0046: "a 5xx commits nothing, anywhere". For every mutating operation of
// /openapi.json, a request that succeeds (a step of the isolation suite's fixture for the route,
// else the fuzz suite's valid-shaped sample) is sent again and again with its k-th database
// statement failing (k = 1, 2, …: a real error raised in the core's database wrapper, test-only,
// core/db/faults.ts), until a run reaches its end without meeting the fault: that last run is the
// request's success, and k − 1 its statement count. Each failed run must answer a 5xx in the
// route's error shape and change no row of any table; the only row a failed run may leave is its
// Idempotency-Key claim still in progress when the fault hit the claim's release (ADR 0010: a
// retry gets 409 until the lease ends). A run that met the fault and still answered 2xx is a
// post-commit action that failed after the request's work committed (ADR 0046: the committed
// success is answered and the error logged); that ends the route's runs. docs/testing.md.

/** Statement numbers tried one by one; past it, every STRIDE-th (the last run still completes the request). */
const EXHAUSTIVE = Number(process.env['PROOF_FAULTS_EXHAUSTIVE'] ?? 40);
const STRIDE = 5;
const MAX_RUNS = 80;

/**
 * Routes whose one request is several units of work by design, each committed on its own, so that
 * a 5xx after the first leaves that unit committed; the proof still asserts their 5xx shape, prints
 * what a failed run left, and then sends the request once more without a fault. docs/testing.md.
 */
const SEVERAL_UNITS: { route: string; reason: string }[] = [
  {
    route: 'POST /api/v0/sandbox/clock/advance',
    reason:
      'moves the clock timer by timer, each due timer fired in its own transaction as the poller fires it (ADR 0031): a 5xx leaves the clock and the timers as far as they got, consistent, and the same `to` sent again finishes the advance',
  },
  {
    route: 'POST /api/v0/payment/submit',
    reason:
      'persist the attempt, call the rail, record the outcome (DESIGN.md, request flow; ADR 0026): a 5xx after the attempt committed leaves it PROCESSING, and its Idempotency-Key record keeps the recovery point with its lease ended, so the retry with the key resumes the attempt at once (ADR 0046)',
  },
  {
    route: 'POST /api/v0/sandbox/qr-code/{qrCodeId}/pay',
    reason: "the payer's claim and its order commit before the UPI rail is called, as a payment submit (above)",
  },
];

const faults = createStatementFaults();
const database = await createTestDatabase(10, { faults });
const t = await createTestApp({ database, background: { workers: false, timerPollMs: null } });
const operations = await loadOperations(t.app);
const tables = await listTables(t.database);
const marker = `fault${randomInt(1e9)}`;
let headers = await tenantHeaders(t.app, SANDBOX_TENANT);
const coverage: RouteCoverage[] = [];

afterAll(async () => {
  printCoverage(`faults (a 5xx commits nothing) on ${backend}`, coverage, ['runs', 'faulted', 'statements']);
  await t.close();
  await database.close();
});

/** Ids the fixture's answers hold, by field name, to fill later steps and the samples' parameters. */
const ids = new Map<string, string[]>();
function collect(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(collect);
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    if ((/(^id$|Id$|_id$)/.test(key) || key === 'publicIdentifierKey') && (typeof v === 'string' || typeof v === 'number'))
      ids.set(key, [...(ids.get(key) ?? []), String(v)]);
    else collect(v);
  }
}
collect({ companyId: SANDBOX_TENANT.companyId, clientId: SANDBOX_TENANT.companyId });

/** The fixture runs on the sandbox company with one marker, as the isolation suite runs it for company A. */
const ctx: FixtureContext = { app: t.app, services: t.services, database: t.database, tenant: SANDBOX_TENANT, headers, marker, ids };

function stepRequest(step: ApiStep, stepMarker = marker): FuzzRequest {
  const stepCtx = { ...ctx, marker: stepMarker };
  const body = step.body?.(stepCtx);
  return {
    mutation: `fixture step "${step.name}"`,
    method: step.method,
    url: step.url(stepCtx),
    headers: { ...headers[step.auth], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  };
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** The operation of /openapi.json that a request calls. */
function operationOf(req: FuzzRequest): Operation | undefined {
  const path = req.url.split('?')[0]!;
  return operations.find((op) => op.method === req.method && new RegExp(`^${escape(op.path).replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/** The statement numbers to fail, in order: 1…EXHAUSTIVE, then every STRIDE-th. */
function nextK(k: number): number {
  return k < EXHAUSTIVE ? k + 1 : k + STRIDE;
}

async function send(req: FuzzRequest, key: string | undefined) {
  return t.app.inject({
    method: req.method as 'POST',
    url: req.url,
    headers: { ...req.headers, ...(key ? { 'idempotency-key': key } : {}) },
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  });
}

/**
 * Sends `req` with its k-th statement failing, for k = 1, 2, … until a run meets no fault (the
 * request's own success, or its refusal), and asserts that each faulted run answered a 5xx in the
 * route's error shape and changed nothing. Returns the last answer.
 */
async function faultEveryStatement(op: Operation, req: FuzzRequest, row: RouteCoverage) {
  const takesKey = op.method === 'POST' && op.parameters.some((p) => p.name.toLowerCase() === 'idempotency-key');
  for (let k = 1; ; k = nextK(k)) {
    const key = takesKey ? `${marker}-${coverage.length}-${k}` : undefined;
    const before = await tableChecksums(t.database, tables);
    faults.arm(row.counts['runs']! + 1 >= MAX_RUNS ? null : k);
    const res = await send(req, key);
    const { fired, counted, trail } = faults;
    faults.disarm();
    row.counts['runs']! += 1;
    const what = `${op.key} (${req.mutation}) with statement ${k} failing -> ${res.statusCode} ${res.body.slice(0, 300)}\nstatements: ${trail.map((text, i) => `\n ${i + 1}. ${text}`).join('')}`;
    if (!fired) {
      row.counts['statements'] = counted;
      if (res.statusCode >= 300) row.note = `${res.statusCode}: not a success, only its refusal was faulted`;
      return res;
    }
    row.counts['faulted']! += 1;
    if (res.statusCode < 500) {
      // Only a statement after the request's last COMMIT may fail without failing it: an
      // after-commit action (ADR 0046), or the storing of its answer under its Idempotency-Key
      // (ADR 0010: the claim stays in progress until its lease ends); the committed answer stands.
      expect(
        committedWorkBefore(trail, k) || counted === k,
        `a failed statement before the request committed any work turned into a ${res.statusCode}: ${what}`,
      ).toBe(true);
      row.note = `statement ${k} failed after the work committed: answered ${res.statusCode}`;
      // Statements ran after the failed one: an after-commit action of the flow was cut short.
      return counted > k ? Object.assign(res, { afterCommitFault: true }) : res;
    }
    expect(res.statusCode, what).toBeGreaterThanOrEqual(500);
    expect(errorShapeProblem(op.family, res), what).toBeNull();
    const changed = changedTables(before, await tableChecksums(t.database, tables));
    const claimLeft = changed.includes('idempotency_keys') && key !== undefined && (await claimInProgress(key));
    if (changed.length > 0 && SEVERAL_UNITS.some((u) => u.route === op.key)) {
      // The documented retry: the same request with the same Idempotency-Key carries on from what committed.
      row.note = `several units of work: statement ${k} failing left ${changed.join(', ')} committed, and the retry answered`;
      faults.arm(null);
      const again = await send(req, key);
      row.note += ` ${again.statusCode}`;
      row.counts['statements'] = faults.counted;
      faults.disarm();
      return again;
    }
    expect(
      changed.filter((table) => !(table === 'idempotency_keys' && claimLeft)),
      `rows changed by a request that answered ${res.statusCode}: ${what}`,
    ).toEqual([]);
  }
}

describe(`a failing database statement at any point of a mutating request commits nothing, on ${backend}`, () => {
  it('finds the mutating routes of the OpenAPI document', () => {
    expect(operations.filter((op) => op.method !== 'GET').length).toBeGreaterThan(20);
  });

  const covered = new Set<string>();
  for (const step of TENANT_FIXTURE) {
    it(`fixture: ${step.name}`, async () => {
      if ('run' in step) {
        collect(JSON.parse(JSON.stringify(await step.run(ctx), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
        return;
      }
      const req = stepRequest(step);
      const op = operationOf(req);
      let res;
      if (op && op.method !== 'GET') {
        covered.add(op.key);
        const row: RouteCoverage = { route: `${op.key} (${step.name})`, counts: { runs: 0, faulted: 0, statements: 0 } };
        coverage.push(row);
        res = await faultEveryStatement(op, req, row);
        // A failed after-commit action (the rail asked to approve a mandate) is missing from the
        // flow: the later steps build on the same step made anew, whole.
        if ('afterCommitFault' in res) res = await send(stepRequest(step, `${marker}7`), `${marker}-${coverage.length}-whole`);
      } else {
        res = await send(req, undefined);
      }
      expect(res.statusCode, `fixture step "${step.name}": ${res.body}`).toBe(200);
      collect(res.json());
      if (step.also) for (const [key, value] of Object.entries(step.also(res.json()))) ids.set(key, [...(ids.get(key) ?? []), value]);
    });
  }

  for (const op of operations) {
    it(`sample: ${op.key}`, async () => {
      if (covered.has(op.key) || op.method === 'GET') return;
      const row: RouteCoverage = { route: op.key, counts: { runs: 0, faulted: 0, statements: 0 } };
      coverage.push(row);
      const fill = { ...Object.fromEntries([...ids].map(([k, v]) => [k, v.at(-1)!])), companyId: SANDBOX_TENANT.companyId };
      await faultEveryStatement(op, sampleRequest(op, { auth: headers[op.auth], fill }), row);
      // Revoking a token or a key is among the routes: the next route starts with fresh ones.
      if (/^\/oauth\/|revoke|merchant\/token/.test(op.path)) {
        headers = await tenantHeaders(t.app, SANDBOX_TENANT);
        ctx.headers = headers;
      }
    });
  }
});

/**
 * Whether work other than the Idempotency-Key claim committed before statement `k`: a transaction
 * that wrote and committed, or a write sent outside any transaction (committed on its own).
 */
function committedWorkBefore(trail: readonly string[], k: number): boolean {
  let inTransaction = false;
  let wrote = false;
  for (const text of trail.slice(0, k - 1)) {
    if (/^begin\b/i.test(text)) [inTransaction, wrote] = [true, false];
    else if (/^commit\b/i.test(text)) {
      if (wrote) return true;
      inTransaction = false;
    } else if (/\b(insert|update|delete)\b/i.test(text) && !/idempotency_keys/.test(text)) {
      if (!inTransaction) return true;
      wrote = true;
    }
  }
  return false;
}

async function claimInProgress(key: string): Promise<boolean> {
  const rows = await queryRows<{ status: string }>(t.database, sql`select status from idempotency_keys where key = ${key}`);
  return rows.length === 1 && rows[0]!.status === 'in_progress';
}
