import fc from 'fast-check';
import type { JsonSchema, Operation, Parameter } from './openapi-routes.js';

/**
 * Request generation from an operation's JSON schemas (IV-1, SQLI-1): a valid-shaped sample of
 * each body, query and header, and fast-check arbitraries that break it in the ways clients and
 * attackers do. Values come from the schema (examples, defaults, enums, formats, bounds), so a
 * new route is fuzzed without new test code.
 */

function types(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function firstDefined(...values: unknown[]): unknown {
  return values.find((v) => v !== undefined);
}

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-02T03:04:05.000Z',
  date: '2026-01-02',
  time: '03:04:05Z',
  email: 'fuzz@example.com',
  uri: 'https://example.com/fuzz',
  url: 'https://example.com/fuzz',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * A value that satisfies `schema` as far as a generic generator can tell: the first example,
 * default, const or enum value, else one built from type, format and bounds. `fill` names values
 * for fields by name (a company id, another tenant's object ids); it wins over the schema.
 */
export function sampleOf(schema: JsonSchema, fill: Record<string, unknown> = {}, depth = 0): unknown {
  const given = firstDefined(schema.const, schema.examples?.[0], schema.example, schema.default, schema.enum?.[0]);
  if (given !== undefined && types(schema).length === 0 && !schema.properties) return given;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice && choice.length > 0) return sampleOf(choice.find((s) => !types(s).includes('null')) ?? choice[0]!, fill, depth);
  if (schema.allOf && schema.allOf.length > 0) return sampleOf(Object.assign({}, ...schema.allOf) as JsonSchema, fill, depth);
  if (given !== undefined && !(types(schema).includes('object') && typeof given !== 'object')) return given;
  const type = types(schema).find((t) => t !== 'null') ?? (schema.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 6) return out;
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        out[name] = name in fill ? fill[name] : sampleOf(prop, fill, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sampleOf(schema.items ?? {}, fill, depth + 1));
    case 'integer':
      return Math.max(
        schema.minimum ?? 1,
        Math.min(schema.maximum ?? 1, 1),
        typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : -Infinity,
      );
    case 'number':
      return Math.max(
        schema.minimum ?? 1,
        Math.min(schema.maximum ?? 1, 1),
        typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : -Infinity,
      );
    case 'boolean':
      return true;
    default: {
      const base = (schema.format && FORMAT_SAMPLES[schema.format]) ?? 'fuzz';
      return base.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? base.length + (schema.minLength ?? 0));
    }
  }
}

/** SQL, script, path and template fragments, and characters that break naive parsers (SQLI-1, IV-1). */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE companies; --",
  '1; select pg_sleep(5)--',
  '" OR ""="',
  "\\'; --",
  '%27%20OR%201%3D1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '\u0000',
  'a\u0000b',
  '\u202e\u202d',
  '😀'.repeat(50),
  'ñ'.repeat(300),
  ' ',
  '',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'A'.repeat(10_000),
];

/** Values of the wrong kind, at the edges of numbers and money (three decimals, negative, huge). */
export const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.01,
  1.005,
  100.123,
  0.001,
  Number('99999999999999.99'),
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  1.7976931348623157e308,
  [],
  [null],
  {},
  { $gt: '' },
  { __proto__: { polluted: true } },
  ...HOSTILE_STRINGS,
];

const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

/** Strings only (path segments, query values): hostile fragments and arbitrary unicode. */
const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length > 0)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.constantFrom('9'.repeat(40), '-1', '0', '1.001', '%00', '%', '?x=1', '#', '/') },
  );

/** Header values must be latin-1 without control characters, or the HTTP client refuses to send them. */
const hostileHeader = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom("' OR '1'='1", '<script>', '', ' ', 'x'.repeat(300), 'ñ', 'Bearer', 'Bearer ', 'Basic', 'Basic !!!', 'null', '1e309'),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  );

/** Paths of every field reachable in a sample (`['payer', 'vpa']`), objects before their fields. */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = [...prefix, k];
    out.push(p, ...fieldPaths(v, p));
  }
  return out;
}

function setAt(root: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A request as `app.inject` takes it, with a label of what was broken. */
export interface FuzzRequest {
  mutation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A raw body (already serialized) or undefined. */
  payload?: string;
}

export interface FuzzContext {
  /** Authentication headers of the operation's kind, for the calling company. */
  auth: Record<string, string>;
  /** Values for path parameters, query fields and body fields by name (e.g. the company's own id). */
  fill: Record<string, unknown>;
}

function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    search.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

function pathWith(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

type Override = { path?: Record<string, string>; query?: Record<string, unknown>; headers?: Record<string, string>; payload?: string | null };

/** The valid-shaped request of an operation (its schema's sample, filled from `ctx`), unbroken. */
export function sampleRequest(op: Operation, ctx: FuzzContext): FuzzRequest {
  return requestBuilder(op, ctx).build('valid-shaped sample', {});
}

/** The valid-shaped sample of an operation's parts, and a builder of requests that override some. */
function requestBuilder(op: Operation, ctx: FuzzContext) {
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const pathValues = Object.fromEntries(params('path').map((p) => [p.name, String(ctx.fill[p.name] ?? sampleOf(p.schema))]));
  const query = Object.fromEntries(params('query').map((p) => [p.name, p.name in ctx.fill ? ctx.fill[p.name] : p.required ? sampleOf(p.schema) : undefined]));
  const headerParams = params('header').filter((p) => p.name.toLowerCase() !== 'idempotency-key');
  const headers: Record<string, string> = { ...ctx.auth, ...Object.fromEntries(headerParams.map((p) => [p.name.toLowerCase(), String(sampleOf(p.schema))])) };
  const form = op.body?.contentType.startsWith('application/x-www-form-urlencoded') === true;
  const body = op.body ? sampleOf(op.body.schema, ctx.fill) : undefined;
  const contentType = op.body?.contentType ?? 'application/json';
  const serialize = (value: unknown): string =>
    form && typeof value === 'object' && value !== null
      ? new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()
      : JSON.stringify(value);
  const build = (mutation: string, over: Override): FuzzRequest => {
    const h = { ...headers, ...over.headers };
    const payload = over.payload === null ? undefined : (over.payload ?? (body === undefined ? undefined : serialize(body)));
    if (payload !== undefined && h['content-type'] === undefined) h['content-type'] = contentType;
    return {
      mutation,
      method: op.method,
      url: pathWith(op, { ...pathValues, ...over.path }) + queryString({ ...query, ...over.query }),
      headers: h,
      ...(payload !== undefined ? { payload } : {}),
    };
  };
  return { params, headerParams, form, body, serialize, build };
}

/**
 * Requests for one operation: each starts from the valid-shaped sample and breaks one thing, so
 * that a failure points at one field. Which thing is broken is part of the generated value.
 */
export function fuzzRequests(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const { params, headerParams, form, body, serialize, build } = requestBuilder(op, ctx);
  const cases: fc.Arbitrary<FuzzRequest>[] = [fc.constant(build('valid-shaped sample', {}))];
  const fields = fieldPaths(body);
  if (op.body) {
    if (fields.length > 0) {
      cases.push(
        fc
          .tuple(fc.constantFrom(...fields), hostileValue())
          .map(([path, v]) => build(`body ${path.join('.')} = hostile value`, { payload: serialize(setAt(body, path, v)) })),
        fc.constantFrom(...fields).map((path) => build(`body ${path.join('.')} missing`, { payload: serialize(setAt(body, path, undefined, true)) })),
        fc.tuple(fc.constantFrom(...fields), fc.string({ maxLength: 20 })).map(([path, v]) =>
          build(`body ${path.join('.')} duplicated`, {
            payload: serialize(body).replace(
              new RegExp(`"${path[path.length - 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}":`),
              `"${path[path.length - 1]!}":${JSON.stringify(v)},"${path[path.length - 1]!}":`,
            ),
          }),
        ),
      );
    }
    cases.push(
      fc
        .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'companyId', 'status', 'balance', 'amount', 'zz_unknown'), hostileValue())
        .map(([k, v]) =>
          build(`body unknown field ${k}`, {
            payload: serialize(body).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}${serialize(body) === '{}' ? '' : ','}`),
          }),
        ),
      hostileValue().map((v) => build('body replaced by a hostile value', { payload: form ? String(v) : (JSON.stringify(v) ?? 'null') })),
      fc
        .constantFrom(
          '{',
          '{"a":',
          '[1,',
          '"',
          'nul',
          '{"a":1}}',
          '\u0000',
          '{"a":"\\ud800"}',
          `${'['.repeat(1000)}${']'.repeat(1000)}`,
          `{"a":${'{"a":'.repeat(1000)}1${'}'.repeat(1001)}`,
        )
        .map((raw) => build('malformed or deeply nested body', { payload: raw })),
      fc
        .constantFrom(
          'text/plain',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/x-www-form-urlencoded',
          'application/json',
        )
        .map((type) => build(`content-type ${type}`, { headers: { 'content-type': type } })),
      fc.constant(build('no body', { payload: null })),
      fc.constant(build('1 MB body', { payload: JSON.stringify({ blob: 'x'.repeat(1_100_000) }) })),
    );
  }
  for (const p of params('path')) {
    cases.push(hostileText().map((v) => build(`path ${p.name} hostile`, { path: { [p.name]: v } })));
    // Not encoded by pathWith: a path the router itself refuses.
    cases.push(
      fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF').map((raw) => {
        const marker = 'RAWPATHVALUE';
        const r = build(`path ${p.name} malformed percent-encoding`, { path: { [p.name]: marker } });
        return { ...r, url: r.url.replace(marker, raw) };
      }),
    );
  }
  for (const p of params('query')) {
    cases.push(hostileText().map((v) => build(`query ${p.name} hostile`, { query: { [p.name]: v } })));
    cases.push(
      fc
        .constant(build(`query ${p.name} repeated`, { query: { [p.name]: undefined } }))
        .map((r) => ({ ...r, url: `${r.url}${r.url.includes('?') ? '&' : '?'}${p.name}=1&${p.name}=2` })),
    );
  }
  cases.push(
    fc
      .tuple(fc.string({ unit: fc.constantFrom('a', 'b', '_', '1'), minLength: 1, maxLength: 8 }), hostileText())
      .map(([k, v]) => build('unknown query parameter', { query: { [`x${k}`]: v } })),
  );
  for (const name of ['idempotency-key', ...headerParams.map((p) => p.name.toLowerCase())]) {
    cases.push(hostileHeader().map((v) => build(`header ${name} hostile`, { headers: { [name]: v } })));
  }
  if (Object.keys(ctx.auth).length > 0) {
    cases.push(
      fc.constant(build('no credentials', {})).map((r) => ({ ...r, headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !(k in ctx.auth))) })),
      fc.tuple(fc.constantFrom(...Object.keys(ctx.auth)), hostileHeader()).map(([k, v]) => build(`credential ${k} hostile`, { headers: { [k]: v } })),
    );
  }
  return fc.oneof(...cases);
}
