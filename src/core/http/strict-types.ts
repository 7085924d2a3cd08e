import type { FastifyInstance, FastifyRequest, preValidationHookHandler, RouteOptions } from 'fastify';
import { ValidationError } from '../errors/app-error.js';
import { isDecimalText } from '../money/index.js';

type Schema = Record<string, unknown>;

/**
 * Schema validation coerces a value to the type its schema names (Fastify's Ajv runs with
 * `coerceTypes: 'array'`): `true` becomes 1, `"0x10"` 16 (JavaScript's `Number()`), `["key"]`
 * `"key"`. Coercion is what lets a query's `?page=2` reach a route as a number, but it also turned
 * a boolean or a hex string into an amount, and an array into a string. This guard runs before
 * validation and keeps only the coercions a client can mean: a plain decimal string
 * (`isDecimalText`, core/money) for a number, `"true"`/`"false"` for a boolean, a number for a
 * string. It refuses, with a 400 naming the field:
 * - a boolean where the schema takes no boolean;
 * - a number where the schema takes a boolean (Ajv reads 1 as `true`, 0 as `false`);
 * - an array where the schema takes no array (a repeated query parameter included);
 * - a string where the schema takes a number, unless it is a plain decimal.
 * Unions (`anyOf`/`oneOf`) take the value when one branch does; a string branch's `pattern` is
 * applied here (elsewhere Ajv applies it and names the failure), because Ajv tries the branches in order and a number branch first would coerce
 * `"0x10"` before the string branch saw it.
 */
export function typeMismatchAt(schema: unknown, value: unknown, path: readonly string[] = [], inUnion = false): { path: string[]; expected: string } | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Schema;
  const branches = (s['anyOf'] ?? s['oneOf']) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const results = branches.map((branch) => typeMismatchAt(branch, value, path, true));
    if (results.some((r) => r === null)) return null;
    return { path: results[0]!.path, expected: [...new Set(results.map((r) => r!.expected))].join(' or ') };
  }
  for (const part of Array.isArray(s['allOf']) ? (s['allOf'] as unknown[]) : []) {
    const found = typeMismatchAt(part, value, path);
    if (found) return found;
  }
  const types = s['type'] === undefined ? undefined : ([] as unknown[]).concat(s['type']);
  if (types && !fits(types, s, value, inUnion)) return { path: [...path], expected: describe(types) };
  if (Array.isArray(value)) {
    if (typeof s['items'] !== 'object') return null;
    for (let i = 0; i < value.length; i++) {
      const found = typeMismatchAt(s['items'], value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    const properties = (s['properties'] ?? {}) as Record<string, unknown>;
    const additional = typeof s['additionalProperties'] === 'object' ? s['additionalProperties'] : undefined;
    for (const [key, child] of Object.entries(value)) {
      const found = typeMismatchAt(Object.hasOwn(properties, key) ? properties[key] : additional, child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

const patterns = new Map<string, RegExp>();
const matches = (pattern: string, text: string) => {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp(pattern, 'u')));
  return re.test(text);
};

function fits(types: unknown[], s: Schema, value: unknown, inUnion: boolean): boolean {
  if (typeof value === 'boolean') return types.includes('boolean');
  if (Array.isArray(value)) return types.includes('array');
  // Ajv reads 1/0 as true/false: a number is taken only where a number (or a string) may stand.
  if (typeof value === 'number') return !types.includes('boolean') || types.some((t) => t === 'number' || t === 'integer' || t === 'string');
  if (typeof value !== 'string') return true;
  if (types.includes('string')) return !inUnion || typeof s['pattern'] !== 'string' || matches(s['pattern'], value);
  if (types.includes('number') || types.includes('integer')) return isDecimalText(value);
  if (types.includes('boolean')) return value === 'true' || value === 'false';
  // Outside a union Ajv refuses what it cannot coerce; inside one, this branch must not be the one that takes it.
  return !inUnion;
}

function describe(types: unknown[]): string {
  if (types.includes('number') || types.includes('integer')) return 'a JSON number or a plain decimal string';
  return types.filter((t) => t !== 'null').join(' or ');
}

const PARTS = [
  ['params', 'path parameter'],
  ['querystring', 'query parameter'],
  ['body', 'field'],
] as const;

async function strictTypes(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema as Record<string, unknown> | undefined;
  if (!schema) return;
  for (const [part, kind] of PARTS) {
    const value = part === 'params' ? request.params : part === 'querystring' ? request.query : request.body;
    const found = schema[part] === undefined ? null : typeMismatchAt(schema[part], value);
    if (!found) continue;
    const name = found.path.join('.') || part;
    throw new ValidationError(`Invalid ${kind} ${name}: must be ${found.expected}`, { param: name });
  }
}

/**
 * Adds the guard to every route registered after this call (children included), as the route's
 * last preValidation hook: after the AES hook has unwrapped a wrapped body, before Ajv coerces.
 * Routes with their own validator compiler (the OAuth endpoints validate in OAuth terms) keep it.
 */
export function registerStrictTypes(app: FastifyInstance): void {
  const hook = strictTypes as unknown as preValidationHookHandler;
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.validatorCompiler || !route.schema) return;
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [hook] : [...([] as preValidationHookHandler[]).concat(existing), hook];
  });
}
