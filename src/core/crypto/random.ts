import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 8192;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * Cryptographically random bytes, drawn from a pool refilled 8 KiB at a time: ids and tokens
 * take several small draws per request, and one large fill costs far less than many small ones
 * (7 % of the token endpoint's CPU in a profile). Each byte is handed out once; the result is a
 * copy, so refilling the pool never changes it.
 */
export function randomBytesPooled(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size));
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return out;
}
