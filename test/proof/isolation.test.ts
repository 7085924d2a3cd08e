import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, createTestApp } from '../support/app.js';
import { changedTables, listTables, tableChecksums } from '../support/db-snapshot.js';
import { fillPath, loadOperations, notFoundStatusOf, type Operation } from '../support/openapi-routes.js';
import { form, postForm } from '../support/oauth.js';
import { sampleOf } from '../support/schema-fuzz.js';
import { createTenant, SANDBOX_TENANT, tenantHeaders, type Tenant, type TenantHeaders } from '../support/tenants.js';
import { printCoverage, type RouteCoverage } from './report.js';
import { TENANT_FIXTURE, type FixtureContext } from './tenant-fixture.js';

// MT-1 and MT-3 (reliability-test-plan §5), issue 5 part 5: for every operation of /openapi.json,
// company B calls company A's objects with its own credentials. Path parameters, query and body
// fields are filled by name with the ids A's fixture collected. B must get the route's not-found
// answer (404, or the 4xx the route documents as "Not found"), byte-identical to the one for a
// random id that does not exist (or a list without A's data, or its own data), never a value of
// A's, and A's rows must not change. A route that cannot be filled fails unless
// it is excluded below with a reason (docs/testing.md).

/** Routes the matrix cannot cover automatically, with the reason. Every entry is printed in the report. */
const EXCLUSIONS: { route: string; reason: string }[] = [
  {
    route: 'GET /pay/checkout/{orderId}',
    reason:
      "the hosted checkout is public and addressed by the EnKash order id (docs/api/gateway-checkout.md, ADRs 0018 and 0035): whoever holds the ORD id (95 random bits) is the customer paying it, whatever company they belong to, as every other checkout call is addressed by the TXN id alone (the custom checkout SDK's calls); those are in the matrix with B's own publicIdentifierKey, which must not open A's transaction",
  },
  {
    route: 'GET /pay/button/{buttonId}',
    reason:
      "a payment button is public by design (docs/api/gateway-button.md, ADR 0022): its id is published in the merchant's page, and this answer holds only what the embed script renders; the merchant routes /api/v0/payment-button/{buttonId} are in the matrix",
  },
  {
    route: 'POST /pay/button/{buttonId}/orders',
    reason:
      "a payer's click on a public payment button (ADR 0022): whoever holds the BTN id may create an order of the button's company, as whoever holds an ORD id may pay it; the merchant routes /api/v0/payment-button/{buttonId} are in the matrix",
  },
  {
    route: 'GET /api/v0/verification/ifsc/{ifsc}',
    reason:
      "reads RBI's public IFSC directory and the sandbox's fixture branches (ADR 0042): it holds no company's object, writes nothing and answers every company the same for a code",
  },
  {
    route: 'POST /api/v0/merchant/token',
    reason:
      "exchanges a merchant key for a token and takes no other credential: whoever presents A's accessKey and secretKey is A (the OpenAPI examples are the sandbox company's public keys); B's secret with A's accessKey is refused in the MT-3 tests",
  },
];

/** Field names whose values identify or authenticate a company's objects. */
const ID_FIELD = /(^id$|Id$|_id$)/;
const SECRET_FIELDS = new Set(['secret', 'token', 'access_token', 'refresh_token', 'accessKey', 'secretKey', 'merchantAccessKey', 'publicIdentifierKey']);
/**
 * Secrets that are the caller's credential for an object rather than an object to aim at: B
 * presents its own (as it presents its own bearer), never A's. The hosted checkout's
 * `publicIdentifierKey` opens one transaction's public pages (docs/api/gateway-checkout.md): B
 * holding A's key would be A's customer, not another company.
 */
const CREDENTIAL_FIELDS = ['publicIdentifierKey'];

function collectIds(value: unknown, ids: Map<string, string[]>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, ids);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    if ((ID_FIELD.test(key) || SECRET_FIELDS.has(key)) && (typeof v === 'string' || typeof v === 'number') && String(v).length > 0) {
      const list = ids.get(key) ?? [];
      if (!list.includes(String(v))) list.push(String(v));
      ids.set(key, list);
    } else {
      collectIds(v, ids);
    }
  }
}

interface Company {
  tenant: Tenant;
  headers: TenantHeaders;
  marker: string;
  ids: Map<string, string[]>;
  /** Idempotency-Key the fixture used per request path: B reuses A's keys (MT-3). */
  keys: Map<string, string>;
}

const t = await createTestApp({ background: { workers: false, timerPollMs: null } });
const operations = await loadOperations(t.app);
const tables = await listTables(t.database);

async function buildCompany(tenant: Tenant, marker: string): Promise<Company> {
  const headers = await tenantHeaders(t.app, tenant);
  const ids = new Map<string, string[]>();
  collectIds({ companyId: tenant.companyId, clientId: tenant.companyId, merchantAccessKey: tenant.merchantAccessKey, ...headers.tokens }, ids);
  ids.set('token', [headers.tokens.access_token]);
  const company: Company = { tenant, headers, marker, ids, keys: new Map() };
  const ctx: FixtureContext = { app: t.app, services: t.services, database: t.database, tenant, headers, marker, ids };
  for (const [i, step] of TENANT_FIXTURE.entries()) {
    if ('run' in step) {
      collectIds(JSON.parse(JSON.stringify(await step.run(ctx), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))), ids);
      continue;
    }
    const url = step.url(ctx);
    // Each company its own keys, so that B's reuse of A's keys in the matrix meets only A's records.
    const key = `${marker}-fixture-${i}`;
    const body = step.body?.(ctx);
    const res = await t.app.inject({
      method: step.method,
      url,
      headers: { ...headers[step.auth], ...(step.method === 'POST' ? { 'idempotency-key': key } : {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    expect(res.statusCode, `fixture step "${step.name}" for ${tenant.companyId}: ${res.body}`).toBe(200);
    // A business refusal is HTTP 200 with a non-zero response_code (a REJECTED payout, a velocity limit): not an object made.
    expect((res.json() as { response_code?: unknown }).response_code ?? 0, `fixture step "${step.name}" for ${tenant.companyId}: ${res.body}`).toBe(0);
    if (step.method === 'POST') company.keys.set(url.split('?')[0]!, key);
    collectIds(res.json(), ids);
    // Named explicitly by the step, so collected whatever the name (an `accountNumber` path parameter).
    if (step.also) for (const [key, value] of Object.entries(step.also(res.json()))) ids.set(key, [...new Set([...(ids.get(key) ?? []), value])]);
  }
  return company;
}

const A = await buildCompany(SANDBOX_TENANT, `proofA${randomInt(1e9)}`);
const B = await buildCompany(await createTenant(t.services, 'Proof Company B', '9000000002'), `proofB${randomInt(1e9)}`);

/** A's values that B must never see: A's ids, secrets and marker, less any value B has too (shared catalogue values). */
const bValues = new Set([...B.ids.values()].flat());
const leakValues = [...new Set([...A.ids.values()].flat()), A.marker].filter((v) => v.length >= 6 && !bValues.has(v));
const fillA: Record<string, string> = Object.fromEntries([...A.ids].map(([k, v]) => [k, v[0]!]));
const coverage: RouteCoverage[] = [];

afterAll(async () => {
  printCoverage('tenant isolation (MT-1)', coverage, ['requests']);
  await t.close();
});

/** Same length and character classes, so the lookup takes the same path as for a real id. */
function randomLike(value: string): string {
  const cut = value.lastIndexOf('_') + 1;
  const pick = (set: string) => set[randomInt(set.length)]!;
  return (
    value.slice(0, cut) +
    [...value.slice(cut)]
      .map((c) =>
        /[0-9]/.test(c) ? pick('0123456789') : /[A-Z]/.test(c) ? pick('ABCDEFGHJKMNPQRSTVWXYZ') : /[a-z]/.test(c) ? pick('abcdefghijkmnpqrstvwxyz') : c,
      )
      .join('')
  );
}

interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/**
 * `who`'s call of `op` with A's values in every path parameter, and in query and body fields of
 * the same name; credential fields (CREDENTIAL_FIELDS) carry `credentials`, else `who`'s first.
 */
function requestAs(who: Company, op: Operation, pathValues: Record<string, string>, credentials: Record<string, string> = {}): BuiltRequest {
  const fill: Record<string, string> = { ...fillA };
  for (const name of CREDENTIAL_FIELDS) {
    const own = credentials[name] ?? who.ids.get(name)?.[0];
    if (own === undefined) delete fill[name];
    else fill[name] = own;
  }
  const query = new URLSearchParams();
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    const value = fill[p.name] ?? (p.required ? String(sampleOf(p.schema)) : undefined);
    if (value !== undefined) query.set(p.name, value);
  }
  const path = fillPath(op.path, pathValues);
  const headers: Record<string, string> = { ...who.headers[op.auth] };
  for (const p of op.parameters.filter((x) => x.in === 'header' && x.name.toLowerCase() !== 'idempotency-key'))
    headers[p.name.toLowerCase()] = String(sampleOf(p.schema));
  // Same Idempotency-Key as A used on this path: B must get its own answer, never A's (MT-3).
  if (op.method === 'POST') headers['idempotency-key'] = A.keys.get(path) ?? `proof-b-${op.key}`.replace(/[^\x21-\x7e]/g, '_');
  let payload: string | undefined;
  if (op.body) {
    const body = sampleOf(op.body.schema, fill);
    const isForm = op.body.contentType.startsWith('application/x-www-form-urlencoded');
    payload = isForm
      ? form(Object.fromEntries(Object.entries(body as object).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])))
      : JSON.stringify(body);
    headers['content-type'] = op.body.contentType;
  }
  return { method: op.method, url: path + (query.size > 0 ? `?${query}` : ''), headers, ...(payload !== undefined ? { payload } : {}) };
}

const requestAsB = (op: Operation, pathValues: Record<string, string>) => requestAs(B, op, pathValues);

const send = (req: BuiltRequest): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });

/** At most this many combinations of A's values are tried when aiming a path at a GET. */
const MAX_AIMS = 400;

/** Where a route is aimed: A's values for its path parameters, and the credentials A presents with them. */
interface Aim {
  path: Record<string, string>;
  credentials: Record<string, string>;
}
const aims = new Map<string, Aim>();

/** The credential fields an operation takes, in its query or body. */
const credentialsOf = (op: Operation) =>
  CREDENTIAL_FIELDS.filter(
    (name) => op.parameters.some((p) => p.in === 'query' && p.name === name) || (op.body?.schema.properties !== undefined && name in op.body.schema.properties),
  );

/**
 * A's values for the path parameters of `op`. Several products use the same field name for
 * different objects (`transactionId` is a ledger transaction, a payout and a gateway payment,
 * `accountId` a ledger and a split account, `referenceId` a ledger reference and a bill), so the
 * first value collected need not be an object this route serves. The values are those that A
 * itself reads with 200 through the GET of the same path, or else of the nearest parent path with
 * the same parameters (`/payment/{transactionId}` for `/payment/{transactionId}/otp/validate`),
 * tried in the order collected, each with each of A's credentials the GET takes (a checkout
 * transaction opens with its own publicIdentifierKey); a path with no such GET takes the first
 * value of each name.
 */
async function aimAt(op: Operation, pathNames: string[]): Promise<Aim> {
  if (pathNames.length === 0) return { path: {}, credentials: {} };
  const known = aims.get(op.path);
  if (known) return known;
  const sameParams = (o: Operation) =>
    o.parameters
      .filter((p) => p.in === 'path')
      .map((p) => p.name)
      .sort()
      .join() === [...pathNames].sort().join();
  const get = operations
    .filter((o) => o.method === 'GET' && (o.path === op.path || op.path.startsWith(`${o.path}/`)) && sameParams(o))
    .sort((x, y) => y.path.length - x.path.length)[0];
  if (!get) return { path: Object.fromEntries(pathNames.map((n) => [n, fillA[n]!])), credentials: {} };
  let combos: Record<string, string>[] = [{}];
  for (const name of [...pathNames, ...credentialsOf(get)])
    combos = combos.flatMap((c) => (A.ids.get(name) ?? []).map((v) => ({ ...c, [name]: v }))).slice(0, MAX_AIMS);
  for (const values of combos) {
    const aim = {
      path: Object.fromEntries(pathNames.map((n) => [n, values[n]!])),
      credentials: Object.fromEntries(credentialsOf(get).map((n) => [n, values[n]!])),
    };
    const own = await send(requestAs(A, get, aim.path, aim.credentials));
    if (own.statusCode === 200) {
      aims.set(op.path, aim);
      return aim;
    }
  }
  throw new Error(`${get.key}: A reads none of its collected ${pathNames.join(', ')} values with 200 (the fixture creates no object this route serves)`);
}

/** Headers that may differ between two answers to the same request. */
const VOLATILE_HEADERS = new Set(['request-id', 'date']);

function expectNoLeak(res: LightMyRequestResponse, req: BuiltRequest, what: string): void {
  // A value B itself sent may come back (an id named in a 404 message); anything else of A's may not.
  const sent = `${req.url} ${req.payload ?? ''} ${JSON.stringify(req.headers)}`;
  const seen = `${res.body}\n${JSON.stringify(res.headers)}`;
  for (const value of leakValues) {
    if (sent.includes(value) || sent.includes(encodeURIComponent(value))) continue;
    expect(seen.includes(value), `${what}: B's answer contains A's value ${value}: ${res.body.slice(0, 300)}`).toBe(false);
  }
}

describe(`tenant isolation over every route of /openapi.json on ${backend}`, () => {
  it('built both companies through the APIs, and A has objects of every kind to aim at', () => {
    expect(A.tenant.companyId).not.toBe(B.tenant.companyId);
    for (const name of [
      'webhookId',
      'eventId',
      'deliveryId',
      'accountId',
      'transactionId',
      'secret',
      'fundLoadId',
      'beneficiaryId',
      'batchTransactionId',
      'companyBillerId',
      'utilityEnkashId',
      'referenceId',
      'orderId',
      'refundTransactionId',
      'settlementPayoutId',
    ]) {
      expect(A.ids.get(name)?.length ?? 0, name).toBeGreaterThan(0);
      expect(B.ids.get(name)?.length ?? 0, name).toBeGreaterThan(0);
    }
    expect(leakValues.length).toBeGreaterThan(10);
  });

  it('every route is covered by a case or excluded with a reason', () => {
    const keys = new Set(operations.map((o) => o.key));
    for (const e of EXCLUSIONS) expect(keys.has(e.route), `exclusion of an unknown route ${e.route}`).toBe(true);
    const unfillable = operations
      .filter((op) => !EXCLUSIONS.some((e) => e.route === op.key))
      .flatMap((op) => op.parameters.filter((p) => p.in === 'path' && fillA[p.name] === undefined).map((p) => `${op.key}: {${p.name}}`));
    expect(unfillable, 'path parameters no fixture step produces (add a step to test/proof/tenant-fixture.ts, or an exclusion)').toEqual([]);
  });

  for (const op of operations) {
    const excluded = EXCLUSIONS.find((e) => e.route === op.key);
    if (excluded) {
      coverage.push({ route: op.key, counts: { requests: 0 }, note: `excluded: ${excluded.reason}` });
      continue;
    }
    it(op.key, async () => {
      const row: RouteCoverage = { route: op.key, counts: { requests: 0 } };
      coverage.push(row);
      const pathNames = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      if (pathNames.some((n) => fillA[n] === undefined)) throw new Error(`${op.key}: a path parameter cannot be filled`);
      const aim = await aimAt(op, pathNames);
      const aPath = aim.path;
      const req = requestAsB(op, aPath);
      const before = await tableChecksums(t.database, tables, { companyId: A.tenant.companyId });
      const res = await send(req);
      row.counts['requests']! += 1;
      const what = `${op.key} as B: ${req.method} ${req.url} -> ${res.statusCode}`;
      expect(changedTables(before, await tableChecksums(t.database, tables, { companyId: A.tenant.companyId })), `${what}: A's rows changed`).toEqual([]);
      expect(res.statusCode, `${what} ${res.body.slice(0, 300)}`).toBeLessThan(500);
      expectNoLeak(res, req, what);
      if (pathNames.length === 0) {
        row.note = `${res.statusCode} (B's own data or a refusal)`;
        return;
      }
      // An object of A's is, to B, exactly an object that does not exist: the route's not-found
      // answer (404 unless it documents another 4xx as "Not found"), the same as for a random id.
      const notFound = notFoundStatusOf(op);
      expect(res.statusCode, `${what} ${JSON.stringify(res.headers)} ${res.body.slice(0, 300)}`).toBe(notFound);
      const randomPath = Object.fromEntries(pathNames.map((n) => [n, randomLike(aPath[n]!)]));
      const controlReq = requestAsB(op, randomPath);
      if (controlReq.headers['idempotency-key']) controlReq.headers['idempotency-key'] += '-random';
      const control = await send(controlReq);
      row.counts['requests']! += 1;
      const normalize = (text: string, values: Record<string, string>) =>
        Object.values(values).reduce((acc, v) => acc.split(v).join('<id>').split(encodeURIComponent(v)).join('<id>'), text);
      const headersOf = (r: LightMyRequestResponse, values: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(r.headers)
            .filter(([k]) => !VOLATILE_HEADERS.has(k))
            .map(([k, v]) => [k, normalize(String(v), values)]),
        );
      expect(control.statusCode, control.body).toBe(notFound);
      expect(normalize(res.body, aPath), `${what}: differs from the answer for a random id`).toBe(normalize(control.body, randomPath));
      expect(headersOf(res, aPath), `${what}: headers differ from the answer for a random id`).toEqual(headersOf(control, randomPath));
      if (op.method === 'GET') {
        // The id is real: A reads it.
        const own = await send(requestAs(A, op, aPath, aim.credentials));
        row.counts['requests']! += 1;
        expect(own.statusCode, `${op.key} as A: ${own.body.slice(0, 300)}`).toBe(200);
      }
      row.note = `${notFound} as for a random id`;
    });
  }
});

describe(`cross-tenant side channels (MT-3) on ${backend}`, () => {
  const basicB = () => B.headers.client['authorization']!;

  it("B's client cannot use A's refresh token, and A's token family survives the attempt", async () => {
    const before = await tableChecksums(t.database, tables, { companyId: A.tenant.companyId });
    const params = { grant_type: 'refresh_token', refresh_token: A.headers.tokens.refresh_token };
    const res = await postForm(t.app, '/oauth/token', params, basicB());
    // Spring's DefaultTokenServices message repeats the token the caller sent (src/auth/oauth/oracle.test.ts).
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: `Wrong client for this refresh token: ${A.headers.tokens.refresh_token}` });
    expectNoLeak(res, { method: 'POST', url: '/oauth/token', headers: {}, payload: form(params) }, 'refresh as B');
    expect(changedTables(before, await tableChecksums(t.database, tables, { companyId: A.tenant.companyId }))).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v0/me', headers: A.headers.bearer })).statusCode).toBe(200);
  });

  it("B's client introspects A's token as inactive and cannot revoke it", async () => {
    const introspect = await postForm(t.app, '/oauth/introspect', { token: A.headers.tokens.access_token }, basicB());
    expect(introspect.statusCode).toBe(200);
    expect(introspect.json()).toEqual({ active: false });
    const check = await t.app.inject({ method: 'GET', url: `/oauth/check_token?token=${A.headers.tokens.access_token}`, headers: { authorization: basicB() } });
    expect(check.statusCode).toBeGreaterThanOrEqual(400);
    expectNoLeak(check, { method: 'GET', url: '/oauth/check_token', headers: {} }, 'check_token as B');
    const revoke = await postForm(t.app, '/oauth/revoke', { token: A.headers.tokens.access_token }, basicB());
    expect(revoke.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v0/me', headers: A.headers.bearer })).statusCode).toBe(200);
  });

  it("the same Idempotency-Key in two companies gives each its own answer, never a replay of the other's", async () => {
    const key = `${A.marker}-mt3`;
    const aRes = await t.app.inject({
      method: 'POST',
      url: '/api/v0/webhook-data/test',
      headers: { ...A.headers.bearer, 'idempotency-key': key },
      payload: { webhookId: A.ids.get('webhookId')![0]!, message: `same key ${A.marker}` },
    });
    expect(aRes.statusCode, aRes.body).toBe(200);
    const webhookId = B.ids.get('webhookId')![0]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/webhook-data/test',
      headers: { ...B.headers.bearer, 'idempotency-key': key },
      payload: { webhookId, message: `same key ${B.marker}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.json()).toMatchObject({ payload: { deliveries: [{ webhookId }] } });
    expect(res.json().payload.eventId).not.toBe(aRes.json().payload.eventId);
    expectNoLeak(res, { method: 'POST', url: '/api/v0/webhook-data/test', headers: { 'idempotency-key': key } }, 'same key as B');
  });

  it("B's secretKey with A's accessKey gets no token and changes none of A's rows", async () => {
    const before = await tableChecksums(t.database, tables, { companyId: A.tenant.companyId });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/merchant/token',
      payload: { accessKey: A.tenant.merchantAccessKey, secretKey: B.tenant.merchantSecretKey },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ token: null, expiry: null });
    expect(changedTables(before, await tableChecksums(t.database, tables, { companyId: A.tenant.companyId }))).toEqual([]);
  });

  it("B's merchant token with A's merchantAccessKey is refused", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v0/merchant/payment-modes',
      headers: { authorization: B.headers.merchant['authorization']!, merchantaccesskey: A.tenant.merchantAccessKey },
    });
    expect(res.statusCode).toBe(401);
    expectNoLeak(res, { method: 'GET', url: '', headers: { merchantaccesskey: A.tenant.merchantAccessKey } }, 'merchant key of A');
  });
});
