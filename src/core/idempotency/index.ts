/** Idempotency-Key on every POST under /api (ADR 0010, docs/api/conventions.md "Idempotency"). */
export {
  registerIdempotency,
  completeIdempotency,
  idempotencyRecoveryPoint,
  saveIdempotencyRecoveryPoint,
  IDEMPOTENCY_HEADER,
  REPLAYED_HEADER,
  type IdempotencyDeps,
  type IdempotencySettings,
} from './hook.js';
export { pruneExpiredIdempotencyKeys } from './repository.js';
export { requestFingerprint, canonicalJson, IDEMPOTENCY_KEY_PATTERN } from './fingerprint.js';
export * from './errors.js';
