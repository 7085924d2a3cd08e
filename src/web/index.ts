import type { FastifyInstance } from 'fastify';
import { registerAssetRoutes } from './assets.js';
import { registerTestDataPage } from './test-data-page.js';

/** Tijori's own pages outside /api: their static files and the sandbox test-data page. */
export function registerWebPages(app: FastifyInstance): void {
  registerAssetRoutes(app);
  registerTestDataPage(app);
}

export { renderCheckoutPage, renderCheckoutClosed } from './checkout-page.js';
export { renderOtpPage, renderChallengePage, renderNetbankingLogin, renderConfirmPage, renderBankWaiting, type BankPageContext } from './bank-pages.js';
export { PAGE_HEADERS } from './html.js';
export { checkoutPages, registerPayPages } from './pay-pages.js';
