import { AppError, type AppErrorOptions, type ErrorCategory } from './app-error.js';

/** How a 401 challenges the caller; Spring formats it as `<scheme> [realm="…", ]error="…", error_description="…"`. */
export interface Challenge {
  scheme: 'Basic' | 'Bearer';
  realm?: string;
}

/** Spring's realm for client authentication at the token endpoint (reference §1.3). */
export const CLIENT_REALM: Challenge = { scheme: 'Basic', realm: 'oauth2/client' };
/** Spring's OAuth2AuthenticationEntryPoint realm for resource servers. */
export const RESOURCE_REALM: Challenge = { scheme: 'Bearer', realm: 'oauth' };
/** Spring's DefaultWebResponseExceptionTranslator adds a realm-less Bearer challenge to any 401 it renders. */
const TRANSLATOR_CHALLENGE: Challenge = { scheme: 'Bearer' };

const CATEGORY_BY_STATUS: Record<number, ErrorCategory> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  405: 'invalid_request',
  429: 'rate_limit',
};

/**
 * RFC 6749 §5.2: `error_description` MUST NOT contain characters outside %x20-21 / %x23-5B /
 * %x5D-7E. Spring echoes request values (grant type, scope, refresh token, parameter names) into
 * its messages; any other character of such a value is shown as `?`, so a hostile value can
 * neither break the rule nor a `WWW-Authenticate` challenge that quotes the description.
 */
function printable(description: string): string {
  return description.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * An error in the Spring Security OAuth2 wire shape `{"error", "error_description", ...extra}`
 * (reference §1.3, RFC 6749 §5.2). `oauthError` is the wire `error` value.
 */
export class OAuthError extends AppError {
  readonly category: ErrorCategory;
  readonly code = 'oauth_error';
  readonly challenge: Challenge | undefined;
  readonly extra: Record<string, string>;

  constructor(
    readonly status: number,
    readonly oauthError: string,
    description: string,
    opts: AppErrorOptions & { challenge?: Challenge; extra?: Record<string, string> } = {},
  ) {
    super(printable(description), opts);
    this.category = CATEGORY_BY_STATUS[status] ?? 'internal';
    this.challenge = opts.challenge ?? (status === 401 ? TRANSLATOR_CHALLENGE : undefined);
    this.extra = opts.extra ?? {};
  }

  body(): Record<string, string> {
    return { error: this.oauthError, error_description: this.message, ...this.extra };
  }

  wwwAuthenticate(): string | undefined {
    if (!this.challenge) return undefined;
    const realm = this.challenge.realm === undefined ? '' : `realm="${this.challenge.realm}", `;
    return `${this.challenge.scheme} ${realm}error="${this.oauthError}", error_description="${this.message}"`;
  }
}

export const FULL_AUTH_REQUIRED = 'Full authentication is required to access this resource';

/** Resource request without a bearer token (reference §1.3). */
export function resourceAuthRequired(): OAuthError {
  return new OAuthError(401, 'unauthorized', FULL_AUTH_REQUIRED, { challenge: RESOURCE_REALM });
}

/** Token lacks the scope a route needs (reference §1.3: Spring's AccessDeniedException). */
export function accessDenied(): OAuthError {
  return new OAuthError(403, 'access_denied', 'Access is denied');
}
