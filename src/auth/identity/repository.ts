import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../core/db/engine.js';
import { companies, oauthClients, unknownLoginAttempts, users } from './tables.js';
import type { Company, CompanyStatus, GrantType, LoginSubject, OAuthClient, PayloadEncryptionMode, PayoutChecksumMode, User, UserStatus } from './model.js';

/** SQLSTATE of a unique violation; Drizzle wraps driver errors, so look at the cause too. */
export function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const pgErr = e as { code?: string; constraint?: string; message?: string };
    if (pgErr.code === '23505') return pgErr.constraint ?? pgErr.message ?? 'unique';
  }
  return undefined;
}

function toUser(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    companyId: row.companyId,
    username: row.username,
    passwordHash: row.passwordHash,
    status: row.status as UserStatus,
    failedAttempts: row.failedAttempts,
    lockedUntil: row.lockedUntil,
  };
}

function toClient(row: typeof oauthClients.$inferSelect): OAuthClient {
  return {
    clientId: row.clientId,
    companyId: row.companyId,
    secretDigest: row.secretDigest,
    payloadKey: Buffer.from(row.payloadKey, 'hex'),
    payloadEncryption: row.payloadEncryption as PayloadEncryptionMode,
    payoutChecksum: row.payoutChecksum as PayoutChecksumMode,
    payoutsEnabled: row.payoutsEnabled,
    grantTypes: row.grantTypes as GrantType[],
    scopes: row.scopes,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: row.refreshTokenTtlSeconds,
  };
}

export async function insertCompany(db: Executor, company: Company): Promise<void> {
  await db.insert(companies).values(company);
}

export async function findCompany(db: Executor, id: string): Promise<Company | null> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  return row ?? null;
}

export async function findCompanySandboxMode(db: Executor, id: string): Promise<boolean | null> {
  const [row] = await db.select({ sandboxMode: companies.sandboxMode }).from(companies).where(eq(companies.id, id));
  return row ? row.sandboxMode : null;
}

export async function setCompanySandboxMode(db: Executor, id: string, sandbox: boolean): Promise<boolean> {
  const rows = await db.update(companies).set({ sandboxMode: sandbox }).where(eq(companies.id, id)).returning({ id: companies.id });
  return rows.length > 0;
}

export async function insertUser(db: Executor, user: User, at: Date): Promise<void> {
  await db.insert(users).values({ ...user, createdAt: at, updatedAt: at });
}

export async function findUserByUsername(db: Executor, username: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ? toUser(row) : null;
}

// The password grant's read, a named prepared statement (ADR 0031): the user and the name's failures as an unknown name, in one statement (ADR 0047).
const FIND_LOGIN_SUBJECT_SQL =
  'select u.id, u.company_id, u.username, u.password_hash, u.status, u.failed_attempts, u.locked_until, ' +
  'a.failed_attempts as unknown_failed_attempts, a.locked_until as unknown_locked_until from (select 1) as one ' +
  'left join users u on u.username = $1 left join unknown_login_attempts a on a.company_id = $2 and a.name_digest = $3';

const toDate = (value: Date | string | null) => (value === null ? null : value instanceof Date ? value : new Date(value));

export async function findLoginSubject(database: Pick<Database, 'prepared'>, username: string, companyId: string, nameDigest: string): Promise<LoginSubject> {
  const [row] = await database.prepared<{
    id: string | null;
    company_id: string;
    username: string;
    password_hash: string;
    status: string;
    failed_attempts: number;
    locked_until: Date | string | null;
    unknown_failed_attempts: number | null;
    unknown_locked_until: Date | string | null;
  }>('identity_find_login_subject', FIND_LOGIN_SUBJECT_SQL, [username, companyId, nameDigest]);
  const user: User | null =
    row?.id == null
      ? null
      : {
          id: row.id,
          companyId: row.company_id,
          username: row.username,
          passwordHash: row.password_hash,
          status: row.status as UserStatus,
          failedAttempts: Number(row.failed_attempts),
          lockedUntil: toDate(row.locked_until),
        };
  return { user, unknownName: { failedAttempts: Number(row?.unknown_failed_attempts ?? 0), lockedUntil: toDate(row?.unknown_locked_until ?? null) } };
}

/**
 * `recordFailedLogin` for a name that is no user of the company: the same count and lock, on the
 * name's digest. Returns the new count, or null when the name was already locked.
 */
export async function recordUnknownLoginFailure(
  db: Executor,
  key: { companyId: string; nameDigest: string },
  threshold: number,
  lockUntil: Date,
  at: Date,
): Promise<number | null> {
  const now = sql`${at.toISOString()}::timestamptz`;
  const t = unknownLoginAttempts;
  const count = sql`(case when ${t.lockedUntil} is not null and ${t.lockedUntil} <= ${now} then 0 else ${t.failedAttempts} end) + 1`;
  const [row] = await db
    .insert(t)
    .values({ ...key, failedAttempts: 1, lockedUntil: threshold <= 1 ? lockUntil : null, updatedAt: at })
    .onConflictDoUpdate({
      target: [t.companyId, t.nameDigest],
      set: {
        failedAttempts: count,
        lockedUntil: sql`case when ${count} >= ${threshold} then ${lockUntil.toISOString()}::timestamptz else null end`,
        updatedAt: at,
      },
      setWhere: sql`${t.lockedUntil} is null or ${t.lockedUntil} <= ${now}`,
    })
    .returning({ failedAttempts: t.failedAttempts });
  return row ? row.failedAttempts : null;
}

/**
 * Deletes up to `limit` unknown-name rows whose lock has run out: the next failure of such a name
 * starts a fresh count anyway, so removing them changes no answer (a row still counting 1 or 2
 * failures is kept: dropping it would let a name's count reset where a user's does not).
 */
export async function pruneExpiredUnknownLogins(db: Executor, at: Date, limit: number): Promise<number> {
  const t = unknownLoginAttempts;
  const rows = await db
    .delete(t)
    .where(
      sql`(${t.companyId}, ${t.nameDigest}) in (select company_id, name_digest from unknown_login_attempts where locked_until <= ${at.toISOString()}::timestamptz limit ${limit})`,
    )
    .returning({ companyId: t.companyId });
  return rows.length;
}

export async function findUser(db: Executor, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toUser(row) : null;
}

export async function updateUserLoginState(db: Executor, userId: string, state: { failedAttempts: number; lockedUntil: Date | null }, at: Date): Promise<void> {
  await db
    .update(users)
    .set({ ...state, updatedAt: at })
    .where(eq(users.id, userId));
}

/**
 * Counts one bad password atomically and sets the lock when the count reaches `threshold`. A lock
 * that has run out starts a fresh count; an account locked meanwhile (by another process) is left
 * alone. Returns the new count, or null when the account was already locked.
 */
export async function recordFailedLogin(db: Executor, userId: string, threshold: number, lockUntil: Date, at: Date): Promise<number | null> {
  const now = sql`${at.toISOString()}::timestamptz`;
  const unlocked = sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now})`;
  const count = sql`(case when ${users.lockedUntil} is not null and ${users.lockedUntil} <= ${now} then 0 else ${users.failedAttempts} end) + 1`;
  const [row] = await db
    .update(users)
    .set({
      failedAttempts: count,
      lockedUntil: sql`case when ${count} >= ${threshold} then ${lockUntil.toISOString()}::timestamptz else null end`,
      updatedAt: at,
    })
    .where(and(eq(users.id, userId), unlocked))
    .returning({ failedAttempts: users.failedAttempts });
  return row ? row.failedAttempts : null;
}

/** Returns the user's id, or null when there is no such user. */
export async function setUserStatus(db: Executor, username: string, status: UserStatus, at: Date): Promise<string | null> {
  const [row] = await db.update(users).set({ status, updatedAt: at }).where(eq(users.username, username)).returning({ id: users.id });
  return row ? row.id : null;
}

export async function unlockUser(db: Executor, username: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ failedAttempts: 0, lockedUntil: null, updatedAt: at })
    .where(eq(users.username, username))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function insertClient(db: Executor, client: OAuthClient, at: Date): Promise<void> {
  await db.insert(oauthClients).values({ ...client, payloadKey: client.payloadKey.toString('hex'), createdAt: at });
}

export async function findClient(db: Executor, clientId: string): Promise<OAuthClient | null> {
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return row ? toClient(row) : null;
}

/** The client settings an operator changes after creation. */
export type ClientSettings = Partial<Pick<OAuthClient, 'payloadEncryption' | 'payoutChecksum' | 'payoutsEnabled'>>;

/** The client if it may authenticate: not revoked, and its company not disabled. */
export async function findActiveClient(db: Executor, clientId: string): Promise<OAuthClient | null> {
  const [row] = await db
    .select({ client: oauthClients })
    .from(oauthClients)
    .innerJoin(companies, eq(companies.id, oauthClients.companyId))
    .where(and(eq(oauthClients.clientId, clientId), isNull(oauthClients.revokedAt), eq(companies.status, 'ACTIVE')));
  return row ? toClient(row.client) : null;
}

export async function setCompanyStatus(db: Executor, id: string, status: CompanyStatus): Promise<boolean> {
  const rows = await db.update(companies).set({ status }).where(eq(companies.id, id)).returning({ id: companies.id });
  return rows.length > 0;
}

/** Marks the client revoked (the first revocation's time is kept); false when there is no client. */
export async function revokeClient(db: Executor, clientId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(oauthClients)
    .set({ revokedAt: sql`coalesce(${oauthClients.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(oauthClients.clientId, clientId))
    .returning({ clientId: oauthClients.clientId });
  return rows.length > 0;
}

/** Writes the given settings; false when the client does not exist. */
export async function updateClientSettings(db: Executor, clientId: string, settings: ClientSettings): Promise<boolean> {
  const rows = await db.update(oauthClients).set(settings).where(eq(oauthClients.clientId, clientId)).returning({ clientId: oauthClients.clientId });
  return rows.length > 0;
}
