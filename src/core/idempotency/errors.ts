import { defineError } from '../errors/app-error.js';

/** A route with `config.idempotency: 'required'` was called without the header (IETF draft: 400). */
export const IdempotencyKeyMissingError = defineError('invalid_request', 400, 'idempotency_key_missing');
/** The header is empty, longer than 255 characters or holds a character outside printable ASCII. */
export const IdempotencyKeyInvalidError = defineError('invalid_request', 400, 'idempotency_key_invalid');
/** The key was used before with another method, path or body (IETF draft: 422; Stripe `idempotency_error`). */
export const IdempotencyKeyReusedError = defineError('invalid_request', 422, 'idempotency_key_reused');
/** The first request with this key is still running (IETF draft: 409; Stripe `idempotency_key_in_use`); safe to retry. */
export const IdempotencyRequestInProgressError = defineError('conflict', 409, 'idempotency_request_in_progress');
