import type { FastifyPluginAsync } from 'fastify';
import { registerFormParser } from '../../core/http/form-parser.js';
import { oauthErrorHandler, oauthNotFoundHandler } from '../../core/http/oauth-errors.js';
import { registerOAuthRoutes } from './routes.js';
import type { OAuthService } from './service.js';

/** The token server under /oauth, with its own error mapper to the Spring OAuth2 shape. */
export const oauthPlugin: FastifyPluginAsync<{ service: OAuthService }> = async (app, { service }) => {
  app.setErrorHandler(oauthErrorHandler);
  app.setNotFoundHandler(oauthNotFoundHandler);
  // Only forms are parsed here (RFC 6749 §4.3.2, §4.4.2, §6): any other body, even malformed JSON,
  // is refused before parsing and meets the same 400 invalid_request as a well-formed one.
  app.removeAllContentTypeParsers();
  registerFormParser(app);
  registerOAuthRoutes(app, service);
};

export { registerAccountRoutes } from './routes.js';
export { createOAuthService, type OAuthService } from './service.js';
