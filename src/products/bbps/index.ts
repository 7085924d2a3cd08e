import type { FastifyPluginAsync } from 'fastify';
import { registerConsumerRoutes } from './consumer-routes.js';
import { registerPgPayRoute } from './pg-routes.js';
import { registerBbpsRoutes } from './routes.js';
import type { BbpsService } from './service.js';

/**
 * Bill Payments (Bharat Connect / BBPS B2C, reference §4). An encapsulated plugin: its error
 * handler (business failures as HTTP 200 with EnKash's response_code) stays inside it.
 */
export const bbpsPlugin: FastifyPluginAsync<{ service: BbpsService; publicUrl?: string | undefined }> = async (api, { service, publicUrl }) => {
  registerBbpsRoutes(api, service);
  registerConsumerRoutes(api, service);
  registerPgPayRoute(api, service, { publicUrl });
};

export { changeBbpsSettings, createBbpsService, type BbpsService, type BbpsDeps } from './service.js';
export { BBPS_EVENTS } from './events.js';
export { DEFAULT_SETTINGS, type BbpsSettings } from './model.js';
