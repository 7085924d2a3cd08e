/**
 * The one error hierarchy of Tijori. Services throw AppErrors; exactly one mapper per wire family
 * (the EnKash envelope for /api/**, the Spring OAuth2 shape for /oauth/**) turns them into HTTP.
 * `message` is safe to show a merchant; `detail` is internal and only ever logged.
 */
export type ErrorCategory = 'invalid_request' | 'authentication' | 'permission' | 'not_found' | 'conflict' | 'rate_limit' | 'unavailable' | 'internal';

export interface AppErrorOptions {
  param?: string;
  detail?: string;
  cause?: unknown;
  /** Extra response headers the mapper must send (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export abstract class AppError extends Error {
  abstract readonly category: ErrorCategory;
  abstract readonly status: number;
  /** Stable snake_case code, listed beside its class and assembled in src/error-catalogue.ts (docs/errors.md). */
  abstract readonly code: string;
  readonly param: string | undefined;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;

  constructor(message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.param = opts.param;
    this.detail = opts.detail;
    this.headers = opts.headers ?? {};
  }
}

/**
 * A coded error built from the catalogue. Categories fix the HTTP status; modules create their
 * concrete errors through `defineError` so that every code is listed in one place.
 */
export function defineError(category: ErrorCategory, status: number, code: string) {
  return class extends AppError {
    readonly category = category;
    readonly status = status;
    readonly code = code;
  };
}

export const DuplicateParameterError = defineError('invalid_request', 400, 'duplicate_parameter');
export const InvalidEncryptedRequestError = defineError('invalid_request', 422, 'invalid_encrypted_request');
/** A field a schema cannot judge alone (one of two fields, a range between fields); the message names it. */
export const ValidationError = defineError('invalid_request', 400, 'validation_failed');
