/** UPI Autopay mandates (reference §2.9): create, update, pause, revoke, get; pre-debit notifications and debits. */
export { createMandatesService, MANDATES_REPLY_TO, type MandatesService, type MandatesDeps } from './service.js';
export { registerMandateRoutes } from './routes.js';
export { MANDATE_EVENTS } from './events.js';
export type { Mandate, MandateStatus, MandateDebit, MandateNotification } from './model.js';
