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
export { requestFingerprint, legacyRequestFingerprint, canonicalJson, IDEMPOTENCY_KEY_PATTERN, type FingerprintDigest } from './fingerprint.js';
export * from './errors.js';
