import type { FastifyInstance } from 'fastify';
import { DuplicateParameterError } from '../errors/app-error.js';

/**
 * application/x-www-form-urlencoded bodies, kept strict: a parameter sent twice is an error
 * (RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once").
 */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  // URLSearchParams accepts any string (a bad escape stays as typed), so parsing cannot fail.
  for (const [key, value] of new URLSearchParams(body)) {
    if (key in out) throw new DuplicateParameterError(`Duplicate parameter: ${key}`, { param: key });
    out[key] = value;
  }
  return out;
}

export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
