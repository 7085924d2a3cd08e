import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defineError } from '../errors/app-error.js';

/**
 * A path parameter, query parameter or body string (or object key) holds U+0000. PostgreSQL's
 * text and jsonb cannot store it (SQLSTATE 22021 / 22P05), so a lookup or insert with it would
 * fail as a 500 in whichever product received it; no field of any API accepts it.
 */
export const NulCharacterError = defineError('invalid_request', 400, 'nul_character');

const NUL = '\u0000';

/** How a field is named in the message: a NUL in a key is shown as the escape `\u0000`. */
const label = (key: string) => key.split(NUL).join('\\u0000');

/**
 * The name of the first field of `value` (a parsed query, params or body) whose string or key
 * holds a NUL character, as `where.path.to.field` (array items by index), or null when none does.
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function fieldWithNul(where: string, value: unknown): string | null {
  const stack: [string, unknown][] = [[where, value]];
  while (stack.length > 0) {
    const [path, current] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return path;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
    // Reversed onto the stack so that the first field in document order is reported first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!;
      const child = `${path}.${label(key)}`;
      if (key.includes(NUL)) return child;
      stack.push([child, v]);
    }
  }
  return null;
}

/**
 * Refuses, for every route of `app`, a request whose path parameters, query or body carry a NUL
 * character: 400 `nul_character` in the route's error shape, naming the field. It runs in
 * preHandler, after schema validation and after the AES hook decrypted a wrapped body, and before
 * the Idempotency-Key claim and the handler, so nothing is written for such a request.
 */
export function registerNulCharacterGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const field = fieldWithNul('path', request.params) ?? fieldWithNul('query', request.query) ?? fieldWithNul('body', request.body);
    if (field === null) return;
    // "path.utilityEnkashId" reads as the parameter's name; body fields keep their path from the body's root.
    const name = field.replace(/^(path|query|body)\./, '');
    throw new NulCharacterError(`Invalid ${field.startsWith('path.') ? 'path parameter' : field.startsWith('query.') ? 'query parameter' : 'field'} ${name}: must not contain a NUL character (U+0000)`, { param: name });
  });
}
