import type { Clock } from '../../core/clock/clock.js';
import type { Database, Executor } from '../../core/db/engine.js';
import { newOpaqueToken, secretDigest } from '../../core/crypto/secrets.js';
import { newId } from '../../core/ids/ids.js';
import type { Principal } from '../../core/http/principal.js';
import type { OAuthSettings } from '../../config.js';
import type { IdentityService, OAuthClient, PayloadEncryptionMode } from '../identity/index.js';
import { KeyedMutex } from '../../core/concurrency/keyed-mutex.js';
import { OAuthError, oauthErrors, RESOURCE_REALM } from './errors.js';
import { FixedWindowLimiter } from './rate-limit.js';
import * as repo from './repository.js';
import { TOKEN_PURPOSE, type IssuedTokens, type TokenParams, type TokenResponseBody } from './model.js';
import { passwordGrant } from './grants/password.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';

export interface OAuthDeps {
  database: Database;
  clock: Clock;
  identity: IdentityService;
  settings: OAuthSettings;
  /** A keyed digest of a username in a company: how a failed attempt on an unknown name is kept (ADR 0047). */
  nameDigest(companyId: string, username: string): string;
}

/** Fresh tokens and the digests and expiries under which they are stored. */
export interface MintedTokens {
  accessToken: string;
  access: { id: string; tokenDigest: string; expiresAt: Date };
  refreshToken?: string;
  refresh?: { id: string; tokenDigest: string; expiresAt: Date };
}

/** What the grants share: the dependencies, the limiters and token issuance. */
export interface GrantRuntime extends OAuthDeps {
  db: Executor;
  usernameLimiter: FixedWindowLimiter;
  /** Serialises the password checks of one username in this process (see grants/password.ts). */
  loginMutex: KeyedMutex;
  mint(client: OAuthClient, now: Date, withRefreshToken: boolean): MintedTokens;
  /** Issues and stores tokens; their rows are committed when the promise resolves. */
  issue(input: IssueInput): Promise<IssuedTokens>;
}

export interface IssueInput {
  client: OAuthClient;
  userId: string | null;
  /** The access token's scopes. */
  scopes: string[];
  /** Set for user grants: the family that a refresh chain and its reuse detection share. */
  familyId: string | null;
  withRefreshToken: boolean;
}

export interface Grant {
  grantType: string;
  handler(rt: GrantRuntime, client: OAuthClient, params: TokenParams): Promise<TokenResponseBody>;
}

/** A Map, not an object: `grant_type=toString` must be an unknown grant, not Object.prototype's. */
const GRANTS: ReadonlyMap<string, Grant> = new Map([passwordGrant, refreshTokenGrant, clientCredentialsGrant].map((g) => [g.grantType, g]));

export interface IntrospectionBody {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
  iat?: number;
  sub?: string;
}

export type OAuthService = ReturnType<typeof createOAuthService>;

export function createOAuthService(deps: OAuthDeps) {
  const { clock, identity, settings } = deps;
  const db = deps.database.db;
  const clientLimiter = new FixedWindowLimiter(settings.ratePerClientPerMinute, 60_000);
  const tokenWriter = repo.createTokenWriter(deps.database);
  const runtime: GrantRuntime = {
    ...deps,
    db,
    usernameLimiter: new FixedWindowLimiter(settings.ratePerUsernamePerMinute, 60_000),
    loginMutex: new KeyedMutex(),
    mint(client, now, withRefreshToken) {
      const accessToken = newOpaqueToken();
      const refreshToken = withRefreshToken ? newOpaqueToken() : undefined;
      return {
        accessToken,
        access: {
          id: newId('atk', now),
          tokenDigest: secretDigest(TOKEN_PURPOSE.access, accessToken),
          expiresAt: new Date(now.getTime() + client.accessTokenTtlSeconds * 1000),
        },
        ...(refreshToken === undefined
          ? {}
          : {
              refreshToken,
              refresh: {
                id: newId('rtk', now),
                tokenDigest: secretDigest(TOKEN_PURPOSE.refresh, refreshToken),
                expiresAt: new Date(now.getTime() + client.refreshTokenTtlSeconds * 1000),
              },
            }),
      };
    },
    async issue(input) {
      const now = clock.now(input.client.companyId);
      const withRefresh = input.withRefreshToken && input.familyId !== null;
      const minted = runtime.mint(input.client, now, withRefresh);
      const base = { familyId: input.familyId, companyId: input.client.companyId, clientId: input.client.clientId, userId: input.userId, issuedAt: now };
      await tokenWriter.write(
        { ...base, ...minted.access, scopes: input.scopes },
        minted.refresh && input.familyId !== null ? { ...base, familyId: input.familyId, ...minted.refresh, scopes: input.scopes } : null,
      );
      return { accessToken: minted.accessToken, accessExpiresAt: minted.access.expiresAt, refreshToken: minted.refreshToken, scopes: input.scopes };
    },
  };

  /** Every /oauth call authenticates its client (RFC 6749 §2.3, RFC 7009 §2.1, RFC 7662 §2.1). */
  async function requireClient(credentials: ClientCredentials | null): Promise<OAuthClient> {
    if (!credentials) throw oauthErrors.clientAuthRequired();
    // No client id holds a NUL (the Basic header is the one input the edge guard does not read,
    // and PostgreSQL cannot compare text with one): such a client does not exist.
    if (credentials.clientId.includes('\u0000')) throw oauthErrors.clientBadCredentials();
    const client = await identity.authenticateClient(credentials.clientId, credentials.secret);
    if (!client) throw oauthErrors.clientBadCredentials();
    return client;
  }

  /** Finds a token of either kind presented by `client`; tokens of other clients are invisible. */
  async function lookup(client: OAuthClient, token: string, hint: string | undefined) {
    const findAccess = async () => {
      const view = await repo.findAccessToken(deps.database, secretDigest(TOKEN_PURPOSE.access, token));
      return view && view.token.clientId === client.clientId ? ({ kind: 'access', row: view.token, username: view.username } as const) : null;
    };
    const findRefresh = async () => {
      const row = await repo.findRefreshToken(db, secretDigest(TOKEN_PURPOSE.refresh, token));
      return row && row.clientId === client.clientId ? ({ kind: 'refresh', row } as const) : null;
    };
    return hint === 'refresh_token' ? ((await findRefresh()) ?? (await findAccess())) : ((await findAccess()) ?? (await findRefresh()));
  }

  return {
    /**
     * The token endpoint after client authentication. Errors follow reference §1.3: 401
     * unauthorized (client), 400 invalid_request, unsupported_grant_type, unauthorized_client,
     * invalid_grant, invalid_scope, 401 invalid_token (expired refresh), 429 too_many_requests.
     */
    async token(credentials: ClientCredentials | null, params: TokenParams): Promise<TokenResponseBody> {
      const grantType = params['grant_type'];
      const client = await requireClient(credentials);
      // EnKash sends a non-standard `clientId` field beside the Basic header (reference §1.2(b)).
      const extraClientId = params['clientId'];
      if (extraClientId !== undefined && extraClientId !== client.clientId) {
        throw oauthErrors.invalidRequest('clientId does not match the authenticated client');
      }
      const limit = clientLimiter.take(client.clientId, clock.now(client.companyId).getTime());
      if (!limit.allowed) throw oauthErrors.tooManyRequests(limit.retryAfterSeconds, 'token requests for this client');
      if (grantType === undefined || grantType === '') throw oauthErrors.invalidRequest('Missing grant type');
      const grant = GRANTS.get(grantType);
      if (!grant) throw oauthErrors.unsupportedGrantType(grantType);
      if (!client.grantTypes.includes(grant.grantType as OAuthClient['grantTypes'][number])) {
        throw oauthErrors.unauthorizedClient(grantType);
      }
      return grant.handler(runtime, client, params);
    },

    /** RFC 7009. Unknown tokens and other clients' tokens answer the same as a revoked one. */
    async revoke(credentials: ClientCredentials | null, token: string | undefined, hint: string | undefined): Promise<void> {
      const client = await requireClient(credentials);
      if (!token) throw oauthErrors.invalidRequest('Missing token parameter');
      const found = await lookup(client, token, hint);
      if (!found) return;
      const now = clock.now(client.companyId);
      // Revoking a refresh token ends its grant: every token of the family (RFC 7009 §2.1).
      if (found.kind === 'refresh') await db.transaction((tx) => repo.revokeFamily(tx, found.row.familyId, now));
      else await repo.revokeAccessToken(db, found.row.id, now);
    },

    /** RFC 7662: inactive, unknown, expired, revoked and foreign tokens all answer `{"active": false}`. */
    async introspect(credentials: ClientCredentials | null, token: string | undefined, hint: string | undefined): Promise<IntrospectionBody> {
      const client = await requireClient(credentials);
      if (!token) throw oauthErrors.invalidRequest('Missing token parameter');
      const found = await lookup(client, token, hint);
      const now = clock.now(client.companyId);
      if (!found || found.row.revokedAt !== null || found.row.expiresAt.getTime() <= now.getTime()) return { active: false };
      if (found.kind === 'refresh' && found.row.consumedAt !== null) return { active: false };
      // A refresh token of a user grant names its user too (sub and username), not only its client.
      const username =
        found.kind === 'access' ? found.username : found.row.userId === null ? null : ((await identity.findUserById(found.row.userId))?.username ?? null);
      return {
        active: true,
        scope: found.row.scopes.join(' '),
        client_id: found.row.clientId,
        ...(username ? { username } : {}),
        token_type: found.kind === 'access' ? 'bearer' : 'refresh_token',
        exp: Math.floor(found.row.expiresAt.getTime() / 1000),
        iat: Math.floor(found.row.issuedAt.getTime() / 1000),
        sub: username ?? found.row.clientId,
      };
    },

    /**
     * Spring's `/oauth/check_token` (CheckTokenEndpoint): 200 with Spring's map for a live access
     * token, 400 invalid_token "Token was not recognised" / "Token has expired" otherwise.
     */
    async checkToken(credentials: ClientCredentials | null, token: string | undefined): Promise<Record<string, unknown>> {
      const client = await requireClient(credentials);
      if (!token) throw oauthErrors.invalidRequest('Missing token parameter');
      const view = await repo.findAccessToken(deps.database, secretDigest(TOKEN_PURPOSE.access, token));
      if (!view || view.token.clientId !== client.clientId || view.token.revokedAt !== null) {
        throw new OAuthError(400, 'invalid_token', 'Token was not recognised');
      }
      if (view.token.expiresAt.getTime() <= clock.now(client.companyId).getTime()) {
        throw new OAuthError(400, 'invalid_token', 'Token has expired');
      }
      return {
        ...(view.username ? { user_name: view.username } : {}),
        scope: view.token.scopes,
        active: true,
        exp: Math.floor(view.token.expiresAt.getTime() / 1000),
        authorities: view.username ? ['ROLE_USER'] : ['ROLE_CLIENT'],
        client_id: view.token.clientId,
      };
    },

    /**
     * The bearer check of every /api request. Expiry is judged by real time (the process clock, not
     * the company's sandbox clock: advancing it never logs an integration out, ADR 0013). Throws
     * 401 invalid_token "Invalid access token: <t>" or "Access token expired: <t>" (reference §1.3).
     */
    async verifyAccessToken(token: string): Promise<Principal> {
      const view = await repo.findAccessToken(deps.database, secretDigest(TOKEN_PURPOSE.access, token));
      if (!view || view.token.revokedAt !== null) throw oauthErrors.invalidToken(`Invalid access token: ${token}`, RESOURCE_REALM);
      if (view.token.expiresAt.getTime() <= clock.now(view.token.companyId).getTime()) {
        throw oauthErrors.invalidToken(`Access token expired: ${token}`, RESOURCE_REALM);
      }
      return {
        companyId: view.token.companyId,
        clientId: view.token.clientId,
        userId: view.token.userId,
        username: view.username,
        scopes: view.token.scopes,
        payloadEncryption: view.payloadEncryption as PayloadEncryptionMode,
        payloadKey: Buffer.from(view.payloadKey, 'hex'),
        payoutsEnabled: view.payoutsEnabled,
      };
    },
  };
}

export interface ClientCredentials {
  clientId: string;
  secret: string;
}
