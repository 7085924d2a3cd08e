import { describe, expect, it } from 'vitest';
import { decryptPayload, derivePayloadKey, encryptPayload } from './payload-cipher.js';

// Known answer computed once with the Node sample of EnKash's "Encrypting/Decrypting payload"
// page (reference §1.5): key = sha256(secret).slice(0, 16), aes-128-ecb, update(utf8 → base64).
const SECRET = '64b0ff0332f058b56402b63a9baa60214f2d61d3';
const PLAINTEXT = '{"beneficiaryName":"Asha Rao","amount":100.5}';
const CIPHERTEXT = 'tu3mxcZ387RqDnZtGA4VAksZiCPEnozIqkQcFkStfazBuIE8a0e6nMrrZ9A5ouI/';

describe('payload cipher (AES-128-ECB of reference §1.5)', () => {
  it('encrypts to the vector of the docs sample', () => {
    expect(encryptPayload(derivePayloadKey(SECRET), PLAINTEXT)).toBe(CIPHERTEXT);
  });

  it('decrypts the vector of the docs sample', () => {
    expect(decryptPayload(derivePayloadKey(SECRET), CIPHERTEXT)).toBe(PLAINTEXT);
  });

  it('returns null for text that is not base64 ciphertext of the right block size', () => {
    const key = derivePayloadKey(SECRET);
    expect(decryptPayload(key, 'not base64!')).toBeNull();
    expect(decryptPayload(key, Buffer.from('short').toString('base64'))).toBeNull();
    expect(decryptPayload(key, '')).toBeNull();
  });

  it('returns null under another key (padding check fails)', () => {
    expect(decryptPayload(derivePayloadKey('another-secret'), CIPHERTEXT)).toBeNull();
  });
});
