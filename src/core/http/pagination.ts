/**
 * One list shape for every Tijori list endpoint. EnKash has no single standard (reference §1.7):
 * its search APIs take `offset` and `limit`; the response shape was not captured, so lists answer
 * a Spring `Page` (the backend is Spring): `{content, totalElements, totalPages, size, number}`,
 * with `offset` echoed because the request is offset-based. Decided in docs/api/conventions.md.
 */
import { ValidationError } from '../errors/app-error.js';

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

/** JSON Schema of the query parameters; spread into a route's querystring `properties`. */
export const pageQueryProperties = {
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Rows to skip.' },
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT, description: `Rows per page (at most ${MAX_PAGE_LIMIT}).` },
} as const;

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface Page<T> {
  content: T[];
  totalElements: number;
  totalPages: number;
  size: number;
  number: number;
  offset: number;
}

/**
 * The page of a search's query. The schema bounds it, but ajv coerces `1e309` to Infinity, which
 * passes as an integer; anything not a safe integer is refused here.
 */
export function pageOf(q: { offset?: number; limit?: number }): PageRequest {
  const page = { offset: q.offset ?? 0, limit: q.limit ?? DEFAULT_PAGE_LIMIT };
  for (const [field, value] of Object.entries(page)) {
    if (!Number.isSafeInteger(value)) throw new ValidationError(`Invalid field ${field}: must be a whole number`, { param: field });
  }
  return page;
}

export function toPage<T>(content: T[], totalElements: number, request: PageRequest): Page<T> {
  return {
    content,
    totalElements,
    totalPages: Math.ceil(totalElements / request.limit),
    size: request.limit,
    number: Math.floor(request.offset / request.limit),
    offset: request.offset,
  };
}

/** JSON Schema of a page of `item`, for a route's response schema. */
export function pageSchema(item: object): object {
  return {
    type: 'object',
    required: ['content', 'totalElements', 'totalPages', 'size', 'number', 'offset'],
    properties: {
      content: { type: 'array', items: item },
      totalElements: { type: 'integer' },
      totalPages: { type: 'integer' },
      size: { type: 'integer' },
      number: { type: 'integer' },
      offset: { type: 'integer' },
    },
  };
}
