import type { FastifyInstance } from 'fastify';
import { registerFormParser } from '../../../core/http/form-parser.js';
import { registerCheckoutRoutes, type CheckoutRouteOptions } from './routes.js';

/**
 * The hosted checkout (reference §2.4): public routes outside /api's token guard, plus
 * `/api/v0/transactions/{id}/minimal`, which the checkout's browser calls without a token.
 * `extra` registers the pages that share the scope (src/web's bank pages and return).
 */
export async function checkoutPlugin(app: FastifyInstance, options: CheckoutRouteOptions & { extra?: (scope: FastifyInstance) => void }): Promise<void> {
  await app.register(async (scope) => {
    // The bank pages are plain HTML forms.
    registerFormParser(scope);
    registerCheckoutRoutes(scope, options);
    options.extra?.(scope);
  });
}

export { createCheckoutService, isNotPayable, type CheckoutService, type CheckoutDeps, type BankStep, type PublicKeys } from './service.js';
export type { CheckoutPageRenderer, CheckoutRouteOptions } from './routes.js';
export { registerSandboxPayerRoute } from './sandbox-payer.js';
export { returnLocation, isFinal, type CheckoutDetail } from './model.js';
export { gatewayCheckoutCustomers } from './tables.js';
