import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defineError } from '../errors/app-error.js';
import { looksLikeCardNumber } from '../log/logger.js';

/**
 * A path parameter, query parameter or body string (or object key) holds U+0000. PostgreSQL's
 * text and jsonb cannot store it (SQLSTATE 22021 / 22P05), so a lookup or insert with it would
 * fail as a 500 in whichever product received it; no field of any API accepts it.
 */
export const NulCharacterError = defineError('invalid_request', 400, 'nul_character');

/**
 * A free-text field (remarks, a description, a custom parameter) holds what looks like a card
 * number: a Luhn-valid run of 13 to 19 digits (spaces or dashes allowed between them) with a card
 * network's prefix. Such text is stored and sent in webhooks as typed; card numbers belong only in
 * card fields, which are tokenised (PCI DSS 3.4).
 */
export const CardNumberInTextError = defineError('invalid_request', 400, 'card_number_in_text');

const NUL = '\u0000';

/** What is wrong with a value no route accepts. */
export type InputProblem = 'nul' | 'card_number';

/** Fields people type text into, by name; and containers whose every string is such text. */
const FREE_TEXT_FIELD = /^(remarks?|description|message|reason|notes?|narration|transferRemark|comments?|memo|purpose)$/;
const FREE_TEXT_CONTAINER = 'customParameters';
const CARD_PREFIX = /^(4|5[1-5]|2[2-7]|3[0478]|6)/;

/** Whether free text holds a card number (see CardNumberInTextError). */
export function holdsCardNumber(text: string): boolean {
  const digits = text.replace(/(\d)[ -](?=\d)/g, '$1');
  return (digits.match(/(?<!\d)\d{13,19}(?!\d)/g) ?? []).some((run) => CARD_PREFIX.test(run) && looksLikeCardNumber(run));
}

const isFreeText = (path: string) => {
  const segments = path.split('.');
  return FREE_TEXT_FIELD.test(segments.at(-1)!) || segments.slice(1, -1).includes(FREE_TEXT_CONTAINER);
};

/** How a field is named in a message: a NUL in a key is shown as the escape `\u0000`. */
const label = (key: string) => key.split(NUL).join('\\u0000');

/**
 * The first field of `value` (a parsed query, params or body) that no route accepts, as
 * `where.path.to.field` (array items by index), with its problem, or null when there is none:
 * a string or key holding a NUL character, or a free-text field holding a card number. Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function unacceptableField(where: string, value: unknown): { field: string; problem: InputProblem } | null {
  const stack: [string, unknown][] = [[where, value]];
  while (stack.length > 0) {
    const [path, current] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return { field: path, problem: 'nul' };
      if (isFreeText(path) && holdsCardNumber(current)) return { field: path, problem: 'card_number' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
    // Reversed onto the stack so that the first field in document order is reported first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!;
      const child = `${path}.${label(key)}`;
      if (key.includes(NUL)) return { field: child, problem: 'nul' };
      stack.push([child, v]);
    }
  }
  return null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Top-level query or body fields the route only ever hashes (the `token` of introspection and
     * revocation): a NUL there reaches no column, it is just a token that does not exist, which
     * those endpoints must answer as such (RFC 7662 §2.2, RFC 7009 §2.2).
     */
    digestedFields?: string[];
  }
}

function withoutFields(input: unknown, fields: readonly string[]): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !fields.includes(key)));
}

/**
 * Refuses, for every route of `app`, a request whose path parameters, query or body hold a value
 * no field accepts, in the route's error shape with a message naming the field:
 * - a NUL character: 400 `nul_character`;
 * - a card number in a free-text field: 400 `card_number_in_text` (the message never repeats it).
 * It runs in preHandler, after schema validation (and its coercion) and after the AES hook
 * decrypted a wrapped body, and before the Idempotency-Key claim and the handler, so nothing is
 * written for such a request.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const digested = request.routeOptions.config.digestedFields ?? [];
    const checked = (input: unknown) => (digested.length === 0 ? input : withoutFields(input, digested));
    const found =
      unacceptableField('path', request.params) ?? unacceptableField('query', checked(request.query)) ?? unacceptableField('body', checked(request.body));
    if (found === null) return;
    // "path.utilityEnkashId" reads as the parameter's name; body fields keep their path from the body's root.
    const name = found.field.replace(/^(path|query|body)\./, '');
    const kind = found.field.startsWith('path.') ? 'path parameter' : found.field.startsWith('query.') ? 'query parameter' : 'field';
    if (found.problem === 'nul') throw new NulCharacterError(`Invalid ${kind} ${name}: must not contain a NUL character (U+0000)`, { param: name });
    throw new CardNumberInTextError(`Invalid ${kind} ${name}: looks like a card number; card numbers are accepted only in card fields`, { param: name });
  });
}
