import type { FastifyInstance } from 'fastify';
import { registerAssetRoutes } from './assets.js';
import { registerButtonScript } from './button-embed.js';
import { registerTestDataPage } from './test-data-page.js';
import { registerOutboxPage } from './outbox-page.js';

/** Tijori's own pages outside /api: their static files and the sandbox test-data page (the checkout's pages register with its plugin). */
export function registerWebPages(app: FastifyInstance): void {
  registerAssetRoutes(app);
  registerTestDataPage(app);
  registerButtonScript(app);
  registerOutboxPage(app);
}

export { checkoutPages, registerPayPages } from './pay-pages.js';
export { registerLinkPages } from './link-page.js';
