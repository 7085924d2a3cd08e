import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

/**
 * EnKash payload encryption (reference §1.5, CONFIRMED): AES-128/ECB/PKCS5Padding, key = the
 * first 16 bytes of SHA-256(client secret as UTF-8), plaintext = the JSON text, output base64.
 * ECB leaks patterns; it is kept only because EnKash clients speak it, and Tijori never relies on
 * it for security (TLS and the bearer token do that).
 */
export function derivePayloadKey(clientSecret: string): Buffer {
  return createHash('sha256').update(clientSecret, 'utf8').digest().subarray(0, 16);
}

export function encryptPayload(key: Buffer, plaintext: string): string {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** Returns null when the text is not valid base64 ciphertext under this key. */
export function decryptPayload(key: Buffer, ciphertextBase64: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertextBase64)) return null;
  const data = Buffer.from(ciphertextBase64, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) return null;
  try {
    const decipher = createDecipheriv('aes-128-ecb', key, null);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
