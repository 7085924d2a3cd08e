import type { FastifyInstance } from 'fastify';
import { registerAssetRoutes } from './assets.js';
import { registerButtonScript } from './button-embed.js';
import { registerTestDataPage } from './test-data-page.js';
import { registerOutboxPage } from './outbox-page.js';
import { registerLandingPage } from './landing-page.js';

/**
 * Tijori's own pages outside /api: the landing page, their static files and the favicon, the
 * sandbox test-data and outbox pages (the checkout's pages register with its plugin). `seeded`:
 * the sandbox company is seeded, so the landing page shows its credentials and can make a test order.
 */
export function registerWebPages(app: FastifyInstance, options: { seeded: boolean }): void {
  registerLandingPage(app, options);
  registerAssetRoutes(app);
  registerTestDataPage(app);
  registerButtonScript(app);
  registerOutboxPage(app);
}

export { checkoutPages, registerPayPages } from './pay-pages.js';
export { registerLinkPages } from './link-page.js';
