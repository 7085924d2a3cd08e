/** Route schemas of the token server: the source of /openapi.json (validation is done by the handlers, in OAuth terms). */
const str = (description: string, example?: string) => ({ type: 'string', description, ...(example ? { examples: [example] } : {}) }) as const;

export const oauthErrorSchema = {
  type: 'object',
  description: 'Spring Security OAuth2 error (reference §1.3)',
  properties: {
    error: str("RFC 6749 §5.2 code, or Spring's `unauthorized`", 'invalid_grant'),
    error_description: str('Human-readable reason', 'Bad credentials'),
    scope: str('For invalid_scope: the scopes the client may ask for'),
  },
  required: ['error', 'error_description'],
} as const;

export const tokenRequestSchema = {
  type: 'object',
  properties: {
    grant_type: { type: 'string', enum: ['password', 'refresh_token', 'client_credentials'], examples: ['password'] },
    username: str('password grant: the registered mobile number or email', '9167019711'),
    password: str("password grant: the user's password", 'Test@1234567'),
    clientId: str("EnKash's extra field; when sent it must equal the authenticated client", 'CEK1GZBO6A'),
    refresh_token: str('refresh_token grant: the refresh token'),
    scope: str("Space-separated subset of the client's scopes; defaults to all of them", 'read write trust'),
    client_id: str('Form client authentication instead of the Basic header'),
    client_secret: str('Form client authentication instead of the Basic header'),
  },
  required: ['grant_type'],
} as const;

export const tokenResponseSchema = {
  type: 'object',
  description: 'Spring OAuth2AccessToken, snake_case',
  properties: {
    access_token: str('Opaque bearer token'),
    token_type: { type: 'string', enum: ['bearer'] },
    refresh_token: str('Opaque refresh token (user grants only); rotates on every refresh'),
    expires_in: { type: 'integer', description: 'Whole seconds the access token has left', examples: [86399] },
    scope: str('Granted scopes, space-separated', 'read write trust'),
  },
  required: ['access_token', 'token_type', 'expires_in', 'scope'],
} as const;

export const tokenOperationRequestSchema = {
  type: 'object',
  properties: {
    token: str('The token'),
    token_type_hint: { type: 'string', enum: ['access_token', 'refresh_token'] },
    client_id: str('Form client authentication instead of the Basic header'),
    client_secret: str('Form client authentication instead of the Basic header'),
  },
  required: ['token'],
} as const;

export const introspectionResponseSchema = {
  type: 'object',
  description: 'RFC 7662 §2.2; an inactive token has only `active: false`',
  properties: {
    active: { type: 'boolean' },
    scope: { type: 'string' },
    client_id: { type: 'string' },
    username: { type: 'string' },
    token_type: { type: 'string' },
    exp: { type: 'integer' },
    iat: { type: 'integer' },
    sub: { type: 'string' },
  },
  required: ['active'],
} as const;

export const checkTokenResponseSchema = {
  type: 'object',
  description: 'Spring CheckTokenEndpoint map',
  properties: {
    user_name: { type: 'string' },
    scope: { type: 'array', items: { type: 'string' } },
    active: { type: 'boolean' },
    exp: { type: 'integer' },
    authorities: { type: 'array', items: { type: 'string' } },
    client_id: { type: 'string' },
  },
  required: ['active', 'scope', 'exp', 'client_id'],
} as const;

export const principalResponseSchema = {
  type: 'object',
  properties: {
    response_code: { type: 'integer', examples: [0] },
    response_message: { type: 'string', examples: ['SUCCESS'] },
    payload: {
      type: 'object',
      properties: {
        companyId: { type: 'string', examples: ['CEK1GZBO6A'] },
        clientId: { type: 'string', examples: ['CEK1GZBO6A'] },
        username: { type: ['string', 'null'], examples: ['9167019711'] },
        scopes: { type: 'array', items: { type: 'string' } },
      },
      required: ['companyId', 'clientId', 'username', 'scopes'],
    },
  },
  required: ['response_code', 'response_message', 'payload'],
} as const;
