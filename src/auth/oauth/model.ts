/** The parameters of a token request after form/query parsing and duplicate checks. */
export type TokenParams = Record<string, string>;

export interface IssuedTokens {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken?: string | undefined;
  scopes: string[];
}

/** Spring's OAuth2AccessTokenJackson2Serializer field order; `expires_in` is the whole seconds left now. */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'bearer';
  refresh_token?: string;
  expires_in: number;
  scope: string;
}

export function tokenResponse(issued: IssuedTokens, now: Date): TokenResponseBody {
  return {
    access_token: issued.accessToken,
    token_type: 'bearer',
    ...(issued.refreshToken === undefined ? {} : { refresh_token: issued.refreshToken }),
    expires_in: Math.max(0, Math.floor((issued.accessExpiresAt.getTime() - now.getTime()) / 1000)),
    scope: issued.scopes.join(' '),
  };
}

/** Spring's OAuth2Utils.parseParameterList: scopes are separated by spaces or commas. */
export function parseScopes(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return [...new Set(raw.split(/[\s,]+/).filter((s) => s.length > 0))];
}

export const TOKEN_PURPOSE = { access: 'access-token', refresh: 'refresh-token' } as const;
