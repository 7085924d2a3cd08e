import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A JSON Schema as it appears in /openapi.json (after @fastify/swagger's conversion). */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  example?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
};

/**
 * How a path answers errors (docs/testing.md, "Error envelopes per family"):
 * - `api`: /api/** in the EnKash envelope with X-Error-Code; a resource-server 401/403 keeps Spring's OAuth2 shape;
 * - `merchant-token`: POST /api/v0/merchant/token's own `{token, expiry, resultCode, resultMessage}`;
 * - `oauth`: /oauth/** as Spring Security OAuth2;
 * - `html`: pages under /pay/**, /sandbox/** and /docs, which may answer an HTML error page or the envelope;
 * - `operations`: everything else (/health, /ready), in the envelope.
 */
export type ErrorFamily = 'api' | 'merchant-token' | 'oauth' | 'html' | 'operations';

/** How an operation authenticates, from its OpenAPI `security`. */
export type AuthKind = 'bearer' | 'merchant' | 'client' | 'none';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `GET /api/v0/events/{eventId}`: the key used in reports and exclusion lists. */
  key: string;
  method: string;
  /** The OpenAPI path template. */
  path: string;
  tags: string[];
  family: ErrorFamily;
  auth: AuthKind;
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema; required: boolean };
  /** Documented responses by status (`"200"`, `"404"`), with their descriptions. */
  responses: Record<string, { description?: string }>;
}

interface OpenApiOperation {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function familyOf(path: string): ErrorFamily {
  if (path === '/api/v0/merchant/token') return 'merchant-token';
  if (path.startsWith('/oauth/')) return 'oauth';
  if (path.startsWith('/api/')) return 'api';
  if (path.startsWith('/pay/') || path.startsWith('/sandbox/') || path === '/docs' || path.startsWith('/docs/')) return 'html';
  return 'operations';
}

/**
 * The authentication an operation needs. The OpenAPI `security` decides; an /api route without
 * one is behind the /api guard all the same, which takes an OAuth bearer (or a merchant token).
 */
function authOf(path: string, op: OpenApiOperation): AuthKind {
  const schemes = new Set((op.security ?? []).flatMap((s) => Object.keys(s)));
  if (schemes.has('merchantToken') || schemes.has('merchantAccessKey')) return 'merchant';
  if (schemes.has('bearer')) return 'bearer';
  if (schemes.has('clientBasic')) return 'client';
  if (path.startsWith('/api/') && familyOf(path) === 'api') return 'bearer';
  return 'none';
}

/** Every operation of the app's /openapi.json (the routes a client can see), in document order. */
export async function loadOperations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
  const doc = res.json() as { paths: Record<string, Partial<Record<(typeof METHODS)[number], OpenApiOperation>>> };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        tags: op.tags ?? [],
        family: familyOf(path),
        auth: authOf(path, op),
        parameters: (op.parameters ?? [])
          .filter((p): p is Parameter => p.in === 'path' || p.in === 'query' || p.in === 'header')
          .map((p) => ({ name: p.name, in: p.in, required: p.required === true || p.in === 'path', schema: p.schema ?? { type: 'string' } })),
        ...(contentType ? { body: { contentType, schema: content[contentType]?.schema ?? {}, required: op.requestBody?.required === true } } : {}),
        responses: op.responses ?? {},
      });
    }
  }
  return operations;
}

/**
 * The status an operation answers for an id the caller does not have (docs/testing.md): 404,
 * unless one of its documented 4xx responses has a description that starts with "Not found"
 * (Bill payments answers an unknown utilityEnkashId with 400 "No utility payment found", as
 * EnKash documents, reference §4).
 */
export function notFoundStatusOf(op: Operation): number {
  const documented = Object.entries(op.responses).find(([status, r]) => /^4\d\d$/.test(status) && /^not found\b/i.test(r.description ?? ''));
  return documented ? Number(documented[0]) : 404;
}

/** The path with each `{name}` replaced by the URL-encoded value of `values[name]`. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(value);
  });
}

const ERROR_CODE = /^[a-z][a-z0-9_]*$/;

function parse(res: LightMyRequestResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

function isJson(res: LightMyRequestResponse): boolean {
  return String(res.headers['content-type'] ?? '').startsWith('application/json');
}

function sameKeys(body: unknown, keys: string[]): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).sort().join(',') === [...keys].sort().join(',');
}

/** Spring Security OAuth2's error body (reference §1.3): `error` and `error_description` only. */
function springProblem(res: LightMyRequestResponse): string | null {
  const body = parse(res);
  if (!isJson(res)) return `content-type ${String(res.headers['content-type'])}`;
  if (!sameKeys(body, ['error', 'error_description']) && !sameKeys(body, ['error'])) return `not a Spring OAuth2 error body: ${res.body.slice(0, 200)}`;
  if (typeof body['error'] !== 'string' || !ERROR_CODE.test(body['error'])) return `error is not an OAuth code: ${res.body.slice(0, 200)}`;
  if ('error_description' in body && typeof body['error_description'] !== 'string') return 'error_description is not a string';
  return null;
}

function envelopeProblem(res: LightMyRequestResponse): string | null {
  const body = parse(res);
  if (!isJson(res)) return `content-type ${String(res.headers['content-type'])}`;
  if (!sameKeys(body, ['response_code', 'response_message', 'payload'])) return `not the EnKash envelope: ${res.body.slice(0, 200)}`;
  if (body['response_code'] !== res.statusCode) return `response_code ${String(body['response_code'])} for HTTP ${res.statusCode}`;
  if (typeof body['response_message'] !== 'string' || body['response_message'].length === 0) return 'empty response_message';
  // EnKash repeats the message as the payload on some errors (BBPS "No utility payment found", reference §4).
  if (body['payload'] !== null && body['payload'] !== body['response_message']) return 'payload is neither null nor the message';
  const code = res.headers['x-error-code'];
  if (typeof code !== 'string' || !ERROR_CODE.test(code)) return `X-Error-Code ${String(code)}`;
  return null;
}

/**
 * Why a 4xx is not in its family's error shape, or null when it is. Under /api a 401 or 403 from
 * the OAuth resource server keeps Spring's shape (reference §1.3, DESIGN "The wire contract").
 */
export function errorShapeProblem(family: ErrorFamily, res: LightMyRequestResponse): string | null {
  switch (family) {
    case 'oauth':
      return springProblem(res);
    case 'merchant-token': {
      const body = parse(res);
      if (!isJson(res)) return `content-type ${String(res.headers['content-type'])}`;
      if (!sameKeys(body, ['token', 'expiry', 'resultCode', 'resultMessage'])) return `not the merchant-token shape: ${res.body.slice(0, 200)}`;
      if (body['token'] !== null || body['expiry'] !== null) return 'token or expiry is not null on an error';
      if (typeof body['resultMessage'] !== 'string' || body['resultMessage'].length === 0) return 'empty resultMessage';
      return null;
    }
    case 'api':
      if ((res.statusCode === 401 || res.statusCode === 403) && (parse(res) as { error?: unknown } | undefined)?.error !== undefined) return springProblem(res);
      return envelopeProblem(res);
    case 'html':
      if (String(res.headers['content-type'] ?? '').startsWith('text/html')) return res.body.length > 0 ? null : 'empty HTML error page';
      return envelopeProblem(res);
    case 'operations':
      return envelopeProblem(res);
  }
}
