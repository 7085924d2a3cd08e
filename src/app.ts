import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './core/clock/clock.js';
import type { Database } from './core/db/engine.js';
import { newId } from './core/ids/ids.js';
import { bearerGuard } from './core/http/bearer-guard.js';
import { envelopeErrorHandler, envelopeNotFoundHandler } from './core/http/envelope.js';
import { registerHealthRoutes } from './core/http/health.js';
import { registerOpenApi } from './core/http/openapi.js';
import { registerPayloadEncryption } from './core/http/payload-encryption.js';
import './core/http/principal.js';
import { createIdentityService, type IdentityService } from './auth/identity/index.js';
import { createOAuthService, oauthPlugin, registerAccountRoutes, type OAuthService } from './auth/oauth/index.js';
import { CORE_EVENTS, type EventDefinition } from './core/events/index.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Every event type of the platform: the core's, then each product area's `events.ts` list. The
 * catalogue, webhook validation and docs/events.md are built from this one list.
 */
export const EVENT_DEFINITIONS: EventDefinition[] = [...CORE_EVENTS];

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Extra routes under /api, behind the bearer guard (tests use it for hook fixtures). */
  registerApiRoutes?: (api: FastifyInstance) => void;
}

export interface Services {
  identity: IdentityService;
  oauth: OAuthService;
}

/** The composition root: builds the core services and registers every plugin. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, database, clock, logger } = deps;
  const identity = createIdentityService({ db: database.db, clock });
  const oauth = createOAuthService({ database, clock, identity, settings: config.oauth });

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => newId('req'),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  // JSON only (forms under /oauth): a text/plain body is refused with 415 rather than handed to a route as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(envelopeErrorHandler);
  app.setNotFoundHandler(envelopeNotFoundHandler);

  await registerOpenApi(app, VERSION);
  registerHealthRoutes(app, () => database.ping());
  await app.register(oauthPlugin, { prefix: '/oauth', service: oauth });
  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerGuard(oauth));
      registerPayloadEncryption(api);
      registerAccountRoutes(api);
      deps.registerApiRoutes?.(api);
    },
    { prefix: '/api' },
  );
  return { app, services: { identity, oauth } };
}
