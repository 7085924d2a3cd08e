import { randomBytesPooled } from '../crypto/random.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random characters from `alphabet`, without modulo bias (rejection sampling). */
export function randomChars(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytesPooled(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * `<prefix>_<ulid>`: 10 Crockford characters of milliseconds then 16 random ones, so ids sort by
 * creation time (index locality) and are unguessable.
 */
export function newId(prefix: string, at: Date = new Date()): string {
  let ms = at.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  return `${prefix}_${time}${randomChars(CROCKFORD, 16)}`;
}

/** EnKash company ids, which are also OAuth client ids: `CEK` + 7 upper-case alphanumerics (reference §1.2(b)). */
export const COMPANY_ID_PATTERN = /^CEK[A-Z0-9]{7}$/;

export function newCompanyId(): string {
  return `CEK${randomChars(UPPER_ALNUM, 7)}`;
}
