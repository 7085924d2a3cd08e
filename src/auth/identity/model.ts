/** Identity: companies, their users and their OAuth client (clientId = companyId, reference §1.2(b)). */
export interface Company {
  id: string;
  name: string;
  createdAt: Date;
}

export type UserStatus = 'ACTIVE' | 'DISABLED';
export type CompanyStatus = 'ACTIVE' | 'DISABLED';

export interface User {
  id: string;
  companyId: string;
  username: string;
  passwordHash: string;
  status: UserStatus;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export const GRANT_TYPES = ['password', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const PAYLOAD_ENCRYPTION_MODES = ['required', 'optional', 'off'] as const;
export type PayloadEncryptionMode = (typeof PAYLOAD_ENCRYPTION_MODES)[number];
/**
 * The mode of a new client unless its creator chooses one: EnKash's payout APIs take only
 * encrypted bodies (reference §1.5), so a client made for payouts speaks AES from the start. The
 * seeded sandbox client is created `optional` (its documented setting) and keeps it.
 */
export const DEFAULT_PAYLOAD_ENCRYPTION: PayloadEncryptionMode = 'required';

/**
 * How the payout APIs treat the request `checksum` (reference §1.6, docs/api/payouts.md): `off`
 * ignores it, `lenient` verifies it when sent and reports a mismatch without refusing, `strict`
 * requires it (412 / REJECT_CHKSUM).
 */
export const PAYOUT_CHECKSUM_MODES = ['off', 'lenient', 'strict'] as const;
export type PayoutChecksumMode = (typeof PAYOUT_CHECKSUM_MODES)[number];

export interface OAuthClient {
  clientId: string;
  companyId: string;
  secretDigest: string;
  payloadKey: Buffer;
  payloadEncryption: PayloadEncryptionMode;
  payoutChecksum: PayoutChecksumMode;
  /** The payout APIs answer 403 "APIs not enabled" when false; true unless the operator turned them off. */
  payoutsEnabled: boolean;
  grantTypes: GrantType[];
  scopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Spring's classic client scope set, which EnKash answers with (reference §1.2(b)). */
export const DEFAULT_SCOPES = ['read', 'write', 'trust'];
/** EnKash's 24 h access tokens (86399 on the wire, reference §1.3). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 86_400;
/** Spring's DefaultTokenServices default of 30 days. */
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

/** Usernames are a mobile number or an email (reference §1.2(b); regexes of §2.4). */
const MOBILE = /^[6-9]\d{9}$/;
const EMAIL = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

export function isValidUsername(username: string): boolean {
  return MOBILE.test(username) || (username.length <= 254 && EMAIL.test(username));
}

/** Email usernames compare case-insensitively, as mail systems do. */
export function normalizeUsername(username: string): string {
  return username.includes('@') ? username.trim().toLowerCase() : username.trim();
}

export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isLocked(user: Pick<User, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();
}

/** A username's consecutive bad passwords and lock: a user's, or an unknown name's (ADR 0047). */
export interface LoginState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** What the password grant reads in one statement: the user of that name, and the failures of the name as an unknown one in the client's company. */
export interface LoginSubject {
  user: User | null;
  unknownName: LoginState;
}
