import { hash, verify } from '@node-rs/argon2';

/** argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), measured at about 24 ms per verify here. */
const PARAMS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verify against a fixed dummy hash so that an unknown username costs the same time as a wrong
 * password (no user enumeration by timing; Spring's DaoAuthenticationProvider does the same).
 */
export async function burnPasswordVerify(password: string): Promise<void> {
  dummyHash ??= hash('tijori-dummy-password', PARAMS);
  await verifyPassword(await dummyHash, password);
}
