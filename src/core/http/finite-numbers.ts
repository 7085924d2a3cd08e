import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors/app-error.js';

/** The path of the first number that is not finite (JSON's `1e309`, a query's `1e309`), or undefined. */
export function nonFiniteAt(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = nonFiniteAt(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A query or path value such as `1e309` is coerced to Infinity, which the schema validator lets
 * pass as an integer below any maximum, so it would reach a route (and the database). Refused
 * here, after validation and coercion, for every route: a 400 naming the field. (JSON bodies are
 * checked too, though their schemas already refuse a non-finite number.)
 */
export function registerFiniteNumbersGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request: FastifyRequest) => {
    for (const [part, value] of [
      ['query', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      const at = nonFiniteAt(value);
      if (at) throw new ValidationError(`Invalid field ${at.join('.') || part}: must be a finite number`, { param: at.join('.') || part });
    }
  });
}
