import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from './random.js';

/**
 * An opaque bearer credential: 32 random bytes (256 bits, above RFC 6749 §10.10's 160-bit SHOULD),
 * base64url without padding. EnKash's own tokens are 27-character base64url strings; clients
 * treat them as opaque, so the longer form is compatible.
 */
export function newOpaqueToken(): string {
  return randomBytesPooled(32).toString('base64url');
}

/**
 * Digest of a high-entropy secret (token or client secret) for storage. A fast hash is right for
 * machine-generated secrets (RFC 6819 §5.1.4.1.3; OWASP); the purpose label separates the
 * domains, so a stored digest of one kind is never a valid key or digest of another.
 */
export function secretDigest(purpose: string, secret: string): string {
  return createHash('sha256').update(`tijori:${purpose}:`).update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of the same algorithm. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  if (left.length !== right.length || left.length === 0) return false;
  return timingSafeEqual(left, right);
}

/**
 * Seal a short value under a key derived from a secret the caller holds (AES-256-GCM). Used to
 * keep a refresh-rotation response retrievable only by whoever presents the old refresh token.
 */
export function sealWithSecret(secret: string, plaintext: string): string {
  const key = createHash('sha256').update('tijori:seal:').update(secret, 'utf8').digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openWithSecret(secret: string, sealed: string): string | null {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 29) return null;
  const key = createHash('sha256').update('tijori:seal:').update(secret, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
