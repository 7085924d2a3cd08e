import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../core/db/engine.js';
import { oauthAccessTokens, oauthRefreshTokens } from './tables.js';

type AccessTokenRow = typeof oauthAccessTokens.$inferSelect;
export type RefreshTokenRow = typeof oauthRefreshTokens.$inferSelect;

export interface TokenRow {
  id: string;
  tokenDigest: string;
  familyId: string | null;
  companyId: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  issuedAt: Date;
  expiresAt: Date;
}

/** The columns both token tables share, in the order every insert below lists them. */
const TOKEN_COLUMN_LIST = '(id, token_digest, family_id, company_id, client_id, user_id, scopes, issued_at, expires_at)';

type RefreshRow = TokenRow & { familyId: string };

/** The nine columns of `rows` as nine arrays (scopes space-separated: scope tokens hold no spaces, RFC 6749 §3.3). */
function columns(rows: TokenRow[]): (string | null)[][] {
  const cols: (string | null)[][] = [[], [], [], [], [], [], [], [], []];
  for (const r of rows) {
    const values = [
      r.id,
      r.tokenDigest,
      r.familyId,
      r.companyId,
      r.clientId,
      r.userId,
      r.scopes.join(' '),
      r.issuedAt.toISOString(),
      r.expiresAt.toISOString(),
    ];
    for (let i = 0; i < 9; i++) cols[i]!.push(values[i]!);
  }
  return cols;
}

const unnestTokens = (from: number) =>
  `select id, digest, family, company, client, usr, string_to_array(scopes, ' '), issued::timestamptz, expires::timestamptz
   from unnest(${Array.from({ length: 9 }, (_, i) => `$${from + i}::text[]`).join(', ')}) as r(id, digest, family, company, client, usr, scopes, issued, expires)`;

// One text for any number of tokens of either kind (arrays, not a values list), so that it is
// prepared once per connection; an empty refresh list inserts nothing.
const INSERT_TOKENS_SQL = `
  with access as (insert into oauth_access_tokens ${TOKEN_COLUMN_LIST} ${unnestTokens(1)})
  insert into oauth_refresh_tokens ${TOKEN_COLUMN_LIST} ${unnestTokens(10)}`;

/** Stores access tokens and the refresh tokens of user grants, all in one atomic statement. */
async function insertTokens(database: Pick<Database, 'prepared'>, access: TokenRow[], refresh: RefreshRow[]): Promise<void> {
  await database.prepared('oauth_insert_tokens', INSERT_TOKENS_SQL, [...columns(access), ...columns(refresh)]);
}

/**
 * Group commit for issued tokens (ADR 0007): while `maxInFlight` statements are running, new
 * tokens queue and go together in the next statement, so a busy token endpoint pays one
 * statement and one commit for many tokens. Each caller's promise settles only when the
 * statement holding its rows has committed (or failed, for every caller in it); a lone request
 * waits for nothing.
 */
export function createTokenWriter(database: Pick<Database, 'prepared'>, maxInFlight = 2) {
  let queue: { access: TokenRow; refresh: RefreshRow | null; done: (err?: unknown) => void }[] = [];
  let inFlight = 0;

  function flush(): void {
    if (inFlight >= maxInFlight || queue.length === 0) return;
    const batch = queue;
    queue = [];
    inFlight++;
    void insertTokens(
      database,
      batch.map((b) => b.access),
      batch.flatMap((b) => (b.refresh ? [b.refresh] : [])),
    )
      .then(
        () => undefined,
        (err: unknown) => err ?? new Error('token insert failed'),
      )
      .then((err) => {
        // The slot is free before the callers resume, so a caller that writes again at once
        // starts a statement instead of waiting for the next batch.
        inFlight--;
        for (const b of batch) b.done(err);
        flush();
      });
  }

  return {
    write(access: TokenRow, refresh: RefreshRow | null): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ access, refresh, done: (err) => (err === undefined ? resolve() : reject(err)) });
        flush();
      });
    },
  };
}

export interface Rotation {
  presentedDigest: string;
  clientId: string;
  /** A narrower scope for the new access token; empty keeps the presented token's. */
  requestedScopes: string[];
  at: Date;
  sealedRetryResponse: string;
  access: Pick<TokenRow, 'id' | 'tokenDigest' | 'expiresAt'>;
  refresh: Pick<TokenRow, 'id' | 'tokenDigest' | 'expiresAt'>;
}

/**
 * The refresh in one statement: consume the presented token if it is live, of this client,
 * covers the requested scope and belongs to an active, unlocked user; revoke the family's earlier
 * access tokens; insert the successors. Returns the presented token's scopes, or null when any
 * condition fails (the caller then locks the row to find out which). Concurrent refreshes of one
 * token serialise on its row: the losers see it consumed and get null. A named prepared
 * statement: it is the hot path of the refresh grant and costs more to plan than to run.
 */
export async function rotateRefreshToken(database: Database, r: Rotation): Promise<string[] | null> {
  const rows = await database.prepared<{ scopes: string }>('oauth_rotate_refresh_token', ROTATE_SQL, [
    r.at.toISOString(),
    r.sealedRetryResponse,
    r.presentedDigest,
    r.clientId,
    r.requestedScopes.join(' '),
    r.access.id,
    r.access.tokenDigest,
    r.access.expiresAt.toISOString(),
    r.refresh.id,
    r.refresh.tokenDigest,
    r.refresh.expiresAt.toISOString(),
  ]);
  return rows[0] ? rows[0].scopes.split(' ') : null;
}

// $1 now, $2 sealed retry response, $3 presented digest, $4 client, $5 requested scopes (space-separated),
// $6-$8 the new access token (id, digest, expiry), $9-$11 the new refresh token.
const ROTATE_SQL = `
  with old as (
    update oauth_refresh_tokens t set consumed_at = $1::timestamptz, retry_response = $2
    where t.token_digest = $3 and t.client_id = $4
      and t.consumed_at is null and t.revoked_at is null and t.expires_at > $1::timestamptz
      and string_to_array($5, ' ') <@ t.scopes
      and (t.user_id is null or exists (
        select 1 from users u where u.id = t.user_id and u.status = 'ACTIVE' and (u.locked_until is null or u.locked_until <= $1::timestamptz)))
      and exists (
        select 1 from oauth_clients c join companies co on co.id = c.company_id
        where c.client_id = $4 and c.revoked_at is null and co.status = 'ACTIVE')
    returning t.family_id, t.company_id, t.user_id, t.scopes
  ), revoked as (
    update oauth_access_tokens a set revoked_at = $1::timestamptz from old where a.family_id = old.family_id and a.revoked_at is null
  ), superseded as (
    -- Only the newest consumed token keeps a sealed retry response: an older one's successor is
    -- itself consumed now, so its retry could no longer succeed.
    update oauth_refresh_tokens p set retry_response = null from old
    where p.family_id = old.family_id and p.retry_response is not null and p.token_digest <> $3
  ), access as (
    insert into oauth_access_tokens ${TOKEN_COLUMN_LIST}
    select $6, $7, old.family_id, old.company_id, $4, old.user_id,
           case when $5 = '' then old.scopes else string_to_array($5, ' ') end, $1::timestamptz, $8::timestamptz
    from old
  )
  insert into oauth_refresh_tokens ${TOKEN_COLUMN_LIST}
  select $9, $10, old.family_id, old.company_id, $4, old.user_id, old.scopes, $1::timestamptz, $11::timestamptz
  from old
  returning array_to_string(scopes, ' ') as scopes`;

/** An access token with what a resource request needs to know about its client and user. */
export interface AccessTokenView {
  token: AccessTokenRow;
  username: string | null;
  payloadEncryption: string;
  payloadKey: string;
  payoutsEnabled: boolean;
}

// The bearer check of every /api request: a named prepared statement, planned once per connection.
const FIND_ACCESS_TOKEN_SQL = `
  select a.id, a.token_digest, a.family_id, a.company_id, a.client_id, a.user_id, a.scopes, a.issued_at, a.expires_at, a.revoked_at,
         u.username, c.payload_encryption, c.payload_key, c.payouts_enabled
  from oauth_access_tokens a
  join oauth_clients c on c.client_id = a.client_id and c.revoked_at is null
  join companies co on co.id = a.company_id and co.status = 'ACTIVE'
  left join users u on u.id = a.user_id
  where a.token_digest = $1 and (a.user_id is null or u.status = 'ACTIVE')`;

interface AccessTokenViewRow {
  id: string;
  token_digest: string;
  family_id: string | null;
  company_id: string;
  client_id: string;
  user_id: string | null;
  scopes: string[];
  issued_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  username: string | null;
  payload_encryption: string;
  payload_key: string;
  payouts_enabled: boolean;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export async function findAccessToken(database: Pick<Database, 'prepared'>, digest: string): Promise<AccessTokenView | null> {
  const [row] = await database.prepared<AccessTokenViewRow>('oauth_find_access_token', FIND_ACCESS_TOKEN_SQL, [digest]);
  if (!row) return null;
  return {
    token: {
      id: row.id,
      tokenDigest: row.token_digest,
      familyId: row.family_id,
      companyId: row.company_id,
      clientId: row.client_id,
      userId: row.user_id,
      scopes: row.scopes,
      issuedAt: asDate(row.issued_at),
      expiresAt: asDate(row.expires_at),
      revokedAt: row.revoked_at === null ? null : asDate(row.revoked_at),
    },
    username: row.username,
    payloadEncryption: row.payload_encryption,
    payloadKey: row.payload_key,
    payoutsEnabled: row.payouts_enabled,
  };
}

export async function findRefreshToken(db: Executor, digest: string, forUpdate = false): Promise<RefreshTokenRow | null> {
  const query = db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenDigest, digest));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** Revokes every live access token of a family (the ones issued before a rotation). */
async function revokeFamilyAccessTokens(db: Executor, familyId: string, at: Date): Promise<void> {
  await db
    .update(oauthAccessTokens)
    .set({ revokedAt: at })
    .where(and(eq(oauthAccessTokens.familyId, familyId), isNull(oauthAccessTokens.revokedAt)));
}

/** Revokes a whole family: all its refresh tokens (dropping sealed retry responses) and access tokens. */
export async function revokeFamily(db: Executor, familyId: string, at: Date): Promise<void> {
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: sql`coalesce(${oauthRefreshTokens.revokedAt}, ${at.toISOString()}::timestamptz)`, retryResponse: null })
    .where(eq(oauthRefreshTokens.familyId, familyId));
  await revokeFamilyAccessTokens(db, familyId, at);
}

/** Whose sessions end: one user's, every token of a company (its users' and its client's), or one client's. */
export type SessionOwner = { userId: string } | { companyId: string } | { clientId: string };

/**
 * Ends every live session of `owner`: revokes its access and refresh tokens (dropping sealed
 * retry responses), in the caller's transaction, so that re-enabling the owner revives none of
 * them (ADR 0038, addendum). The oauth module owns the token tables; identity calls this when it
 * disables a user or a company or revokes a client.
 */
export async function endSessions(db: Executor, owner: SessionOwner, at: Date): Promise<void> {
  const whose = (t: typeof oauthAccessTokens | typeof oauthRefreshTokens) =>
    'userId' in owner ? eq(t.userId, owner.userId) : 'companyId' in owner ? eq(t.companyId, owner.companyId) : eq(t.clientId, owner.clientId);
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: at, retryResponse: null })
    .where(and(whose(oauthRefreshTokens), isNull(oauthRefreshTokens.revokedAt)));
  await db
    .update(oauthAccessTokens)
    .set({ revokedAt: at })
    .where(and(whose(oauthAccessTokens), isNull(oauthAccessTokens.revokedAt)));
}

export async function revokeAccessToken(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .update(oauthAccessTokens)
    .set({ revokedAt: at })
    .where(and(eq(oauthAccessTokens.id, id), isNull(oauthAccessTokens.revokedAt)));
}
