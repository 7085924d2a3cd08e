import { afterAll, describe, expect, it } from 'vitest';
import { backend, createTestApp } from '../support/app.js';
import { changedTables, listTables, tableChecksums } from '../support/db-snapshot.js';
import { errorShapeProblem, fillPath, loadOperations, type JsonSchema, type Operation } from '../support/openapi-routes.js';
import { sampleOf } from '../support/schema-fuzz.js';
import { SANDBOX_TENANT, tenantHeaders } from '../support/tenants.js';
import { printCoverage, type RouteCoverage } from './report.js';

// Issue 16 item 2 (the outside probe's "amounts" class): a number field, every amount included,
// takes a JSON number or a plain decimal string, nothing else: not a boolean (`true` was read as
// 1), not a hex, octal or binary string (`"0x10"` was read as 16); and a string field given an
// array is refused, not coerced. For every route of /openapi.json with a JSON body or a numeric
// query parameter, each such field of a valid-shaped request gets each bad value: 400 (422 on
// payouts routes) in the route's error shape, naming the field, and no row changes (core/http/strict-types.ts).

const BAD_NUMBERS: unknown[] = [true, false, '0x10', '0o17', '0b11', ' 100', '1e3', ['100']];
const BAD_STRING: unknown[] = [['fuzz'], true];
/** A boolean field takes `true` or `false`: not 1 or 0 (Ajv coerced them), nor a string or an array. */
const BAD_BOOLEAN: unknown[] = [1, 0, 'yes', [true]];
const badValues = { number: BAD_NUMBERS, string: BAD_STRING, boolean: BAD_BOOLEAN } as const;

/** The fields the probe found taking `true` or `"0x10"`: orders, links, QR codes, virtual accounts, buttons, mandates, refunds, payouts, add-funds, the clock. */
const EXPECTED_NUMBER_FIELDS = [
  'POST /api/v0/orders amount.value',
  'POST /api/v0/quick-collect amount',
  'POST /api/v0/qr-code amount',
  'POST /api/v0/virtual-account amount',
  'POST /api/v0/payment-button amount',
  'POST /api/v0/upi-mandate amount',
  'POST /api/v0/upi-mandate/execute amount',
  'POST /api/v0/payment/{transactionId}/refund amount',
  'POST /api/v0/payout-transaction transferAmount',
  'POST /api/v0/payout-transaction/batch transfers.0.transferAmount',
  'POST /api/v0/payout-account/add-funds amount',
  'POST /api/v0/sandbox/clock/advance seconds',
];

/** A refused field answers 400, on payouts routes EnKash's 422 (docs/api/payouts.md, ADR 0036). */
const refusalStatus = (op: Operation) => (op.tags.includes('Payouts') ? 422 : 400);

const t = await createTestApp({ background: { workers: false, timerPollMs: null } });
const operations = (await loadOperations(t.app)).filter((op) => op.family !== 'oauth' && op.family !== 'html');
const headers = await tenantHeaders(t.app, SANDBOX_TENANT);
const tables = await listTables(t.database);
const coverage: RouteCoverage[] = [];

afterAll(async () => {
  printCoverage('amounts and scalar types (issue 16)', coverage, ['number fields', 'string fields', 'boolean fields', 'requests']);
  await t.close();
});

type Kind = 'number' | 'string' | 'boolean';

function typesOf(schema: JsonSchema): string[] {
  const own = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  return [...own, ...(schema.anyOf ?? schema.oneOf ?? []).flatMap(typesOf)];
}

/** Every scalar field of a body schema, as a path into its valid-shaped sample, with its kind. */
function scalarFields(schema: JsonSchema, path: string[] = [], depth = 0): { path: string[]; kind: Kind }[] {
  if (depth > 6) return [];
  const types = typesOf(schema);
  const branch = (schema.anyOf ?? schema.oneOf ?? []).find((s) => typesOf(s).some((x) => x === 'object' || x === 'array'));
  if (types.includes('number') || types.includes('integer')) return [{ path, kind: 'number' }];
  if (types.includes('boolean') && !types.includes('string')) return [{ path, kind: 'boolean' }];
  if (branch) return scalarFields(branch, path, depth);
  if (schema.properties) return Object.entries(schema.properties).flatMap(([name, prop]) => scalarFields(prop, [...path, name], depth + 1));
  if (types.includes('array') && schema.items) return scalarFields(schema.items, [...path, '0'], depth + 1);
  if (types.includes('string') && !types.includes('boolean') && schema.enum === undefined) return [{ path, kind: 'string' }];
  return [];
}

function withValue(body: unknown, path: string[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function messageOf(res: { body: string }): string {
  const body = JSON.parse(res.body) as Record<string, unknown>;
  return String(body['response_message'] ?? body['resultMessage'] ?? body['message'] ?? '');
}

function requestsFor(op: Operation): { label: string; url: string; payload?: string; field: string }[] {
  const pathValues = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, String(sampleOf(p.schema))]));
  const url = fillPath(op.path, pathValues);
  const out: { label: string; url: string; payload?: string; field: string }[] = [];
  const json = op.body?.contentType.startsWith('application/json') === true;
  if (op.body && json) {
    const body = sampleOf(op.body.schema, { companyId: SANDBOX_TENANT.companyId });
    for (const field of scalarFields(op.body.schema)) {
      for (const bad of badValues[field.kind]) {
        out.push({
          label: `body ${field.path.join('.')} = ${JSON.stringify(bad)}`,
          url,
          payload: JSON.stringify(withValue(body, field.path, bad)),
          field: field.path.join('.'),
        });
      }
    }
  }
  for (const p of op.parameters.filter((q) => q.in === 'query' && typesOf(q.schema).some((x) => x === 'number' || x === 'integer'))) {
    for (const bad of ['0x10', '0b11', '0o17']) out.push({ label: `query ${p.name} = ${bad}`, url: `${url}?${p.name}=${bad}`, field: p.name });
  }
  return out;
}

describe(`amounts and scalar types on every route (${backend})`, () => {
  it('finds the money fields the probe named', () => {
    const numberFields = operations.flatMap((op) =>
      op.body ? scalarFields(op.body.schema).flatMap((f) => (f.kind === 'number' ? [`${op.key} ${f.path.join('.')}`] : [])) : [],
    );
    expect(numberFields).toEqual(expect.arrayContaining(EXPECTED_NUMBER_FIELDS));
  });

  it('finds boolean fields to send 1 and 0 to', () => {
    const booleanFields = operations.flatMap((op) =>
      op.body ? scalarFields(op.body.schema).flatMap((f) => (f.kind === 'boolean' ? [`${op.key} ${f.path.join('.')}`] : [])) : [],
    );
    process.stdout.write(`[proof] boolean fields: ${booleanFields.join(', ')}\n`);
    expect(booleanFields.length).toBeGreaterThan(0);
  });

  for (const op of operations) {
    const requests = requestsFor(op);
    if (requests.length === 0) continue;
    it(`${op.key}: ${requests.length} requests`, async () => {
      const row: RouteCoverage = { route: op.key, counts: { 'number fields': 0, 'string fields': 0, 'boolean fields': 0, requests: 0 } };
      coverage.push(row);
      row.counts['number fields'] = new Set(requests.filter((r) => r.label.includes('"0x10"') || r.label.endsWith('0x10')).map((r) => r.field)).size;
      row.counts['string fields'] = new Set(requests.filter((r) => r.label.includes('["fuzz"]')).map((r) => r.field)).size;
      row.counts['boolean fields'] = new Set(requests.filter((r) => r.label.endsWith('[true]')).map((r) => r.field)).size;
      const before = await tableChecksums(t.database, tables);
      for (const req of requests) {
        const res = await t.app.inject({
          method: op.method as 'POST',
          url: req.url,
          headers: { ...headers[op.auth], ...(req.payload === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(req.payload === undefined ? {} : { payload: req.payload }),
        });
        row.counts['requests']! += 1;
        const what = `${op.key} ${req.label} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, what).toBe(refusalStatus(op));
        expect(errorShapeProblem(op.family, res), what).toBeNull();
        expect(messageOf(res), what).toContain(req.field.split('.').at(-1));
      }
      const changed = changedTables(before, await tableChecksums(t.database, tables));
      expect(changed, `rows changed by refused requests of ${op.key}`).toEqual([]);
    });
  }
});
