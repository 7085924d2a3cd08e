import type { FastifyPluginAsync } from 'fastify';
import { oauthErrorHandler, oauthNotFoundHandler } from '../../core/http/oauth-errors.js';
import { registerOAuthRoutes } from './routes.js';
import type { OAuthService } from './service.js';

/** The token server under /oauth, with its own error mapper to the Spring OAuth2 shape. */
export const oauthPlugin: FastifyPluginAsync<{ service: OAuthService }> = async (app, { service }) => {
  app.setErrorHandler(oauthErrorHandler);
  app.setNotFoundHandler(oauthNotFoundHandler);
  registerOAuthRoutes(app, service);
};

export { registerAccountRoutes } from './routes.js';
export { createOAuthService, type OAuthService } from './service.js';
