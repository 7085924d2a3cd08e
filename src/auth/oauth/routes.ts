import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../core/errors/oauth-error.js';
import { envelope } from '../../core/http/envelope.js';
import { noStore } from '../../core/http/oauth-errors.js';
import { clientCredentialsFrom } from './client-auth.js';
import { oauthErrors } from './errors.js';
import type { TokenParams } from './model.js';
import {
  checkTokenResponseSchema,
  introspectionResponseSchema,
  oauthErrorSchema,
  principalResponseSchema,
  tokenOperationRequestSchema,
  tokenRequestSchema,
  tokenResponseSchema,
} from './schemas.js';
import type { OAuthService } from './service.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Spring's TokenEndpoint reads `@RequestParam Map`: query parameters and form fields together.
 * A parameter present twice, in either or across both, is refused (RFC 6749 §3.2). The map has
 * no prototype, so a parameter named `constructor` or `toString` is an ordinary parameter.
 */
function requestParams(request: FastifyRequest): TokenParams {
  const params: TokenParams = Object.create(null) as TokenParams;
  const query = (request.query ?? {}) as Record<string, string | string[]>;
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw oauthErrors.duplicateParameter(key);
    params[key] = value;
  }
  // Only the form parser is registered under /oauth: any other body was refused before this.
  if (request.body !== undefined && request.body !== null) {
    for (const [key, value] of Object.entries(request.body as Record<string, string>)) {
      if (Object.hasOwn(params, key)) throw oauthErrors.duplicateParameter(key);
      params[key] = value;
    }
  }
  return params;
}

/**
 * The handlers validate in OAuth terms, so the schemas only document. Bodies are written with
 * JSON.stringify to keep Spring's field order (access_token, token_type, refresh_token, …).
 */
const docsOnly = { validatorCompiler: () => () => true, serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

const errorResponses = { 400: oauthErrorSchema, 401: oauthErrorSchema, 429: oauthErrorSchema };

function methodNotAllowed(request: FastifyRequest, reply: FastifyReply): never {
  reply.header('allow', 'POST');
  throw new OAuthError(405, 'method_not_allowed', `Request method '${request.method}' not supported`);
}

export function registerOAuthRoutes(app: FastifyInstance, service: OAuthService): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    noStore(reply);
    return payload;
  });

  app.post(
    '/token',
    {
      ...docsOnly,
      schema: {
        tags: ['OAuth'],
        operationId: 'oauth.token',
        summary: 'Get an access token (User Authentication)',
        description:
          "Spring Security OAuth2 token endpoint. Grants: `password` (EnKash's flow; enabled per client), `refresh_token` " +
          '(rotates; a retry within the grace window gets the same successor, a later reuse revokes the family) and ' +
          '`client_credentials`. Client authentication by Basic header or `client_id`/`client_secret` fields. ' +
          'Three consecutive bad passwords lock the account.',
        consumes: [FORM],
        security: [{ clientBasic: [] }],
        body: tokenRequestSchema,
        response: { 200: tokenResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const params = requestParams(request);
      return service.token(clientCredentialsFrom(request.headers.authorization, params), params);
    },
  );
  app.route({ method: ['GET', 'PUT', 'DELETE', 'PATCH'], url: '/token', schema: { hide: true }, handler: methodNotAllowed });

  app.post(
    '/revoke',
    {
      ...docsOnly,
      config: { digestedFields: ['token'] },
      schema: {
        tags: ['OAuth'],
        operationId: 'oauth.revoke',
        summary: 'Revoke a token (RFC 7009)',
        description: 'Always 200 for a token the client may not see or that does not exist. Revoking a refresh token revokes its whole grant.',
        consumes: [FORM],
        security: [{ clientBasic: [] }],
        body: tokenOperationRequestSchema,
        response: { 200: { type: 'null', description: 'Revoked, or nothing to revoke' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const params = requestParams(request);
      await service.revoke(clientCredentialsFrom(request.headers.authorization, params), params['token'], params['token_type_hint']);
      return reply.code(200).send();
    },
  );

  app.post(
    '/introspect',
    {
      ...docsOnly,
      config: { digestedFields: ['token'] },
      schema: {
        tags: ['OAuth'],
        operationId: 'oauth.introspect',
        summary: 'Introspect a token (RFC 7662)',
        consumes: [FORM],
        security: [{ clientBasic: [] }],
        body: tokenOperationRequestSchema,
        response: { 200: introspectionResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const params = requestParams(request);
      return service.introspect(clientCredentialsFrom(request.headers.authorization, params), params['token'], params['token_type_hint']);
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/check_token',
    ...docsOnly,
    config: { digestedFields: ['token'] },
    schema: {
      tags: ['OAuth'],
      operationId: 'oauth.checkToken',
      summary: 'Check a token (Spring CheckTokenEndpoint)',
      description: 'Spring Security OAuth2\'s `/oauth/check_token?token=…`; 400 invalid_token "Token was not recognised" or "Token has expired".',
      security: [{ clientBasic: [] }],
      querystring: { type: 'object', properties: { token: { type: 'string' } } },
      response: { 200: checkTokenResponseSchema, ...errorResponses },
    },
    handler: async (request) => {
      const params = requestParams(request);
      return service.checkToken(clientCredentialsFrom(request.headers.authorization, params), params['token']);
    },
  });
}

/** GET /api/v0/me: a Tijori extension that tells an integration which principal its token carries. */
export function registerAccountRoutes(api: FastifyInstance): void {
  api.get(
    '/v0/me',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Account'],
        operationId: 'account.me',
        summary: 'The principal of the bearer token (Tijori extension)',
        security: [{ bearer: [] }],
        response: { 200: principalResponseSchema, 401: oauthErrorSchema, 403: oauthErrorSchema },
      },
    },
    async (request) => {
      const p = request.principal!;
      return envelope({ companyId: p.companyId, clientId: p.clientId, username: p.username, scopes: p.scopes });
    },
  );
}
