/** Payment links, EnKash's "quick collect" (reference §2.10; ADR 0021): create, get, cancel, list, the public page's payments, due date and expiry. */
export { createLinksService, LINK_DUE_DATE_TIMER, LINK_EXPIRY_TIMER, type LinksService, type LinksDeps } from './service.js';
export { registerLinkRoutes } from './routes.js';
export { PAYMENT_LINK_EVENTS, PAYMENT_LINK_PAYMENT_SUCCESS, PAYMENT_LINK_PAYMENT_FAILED, PAYMENT_LINK_DUE_DATE } from './events.js';
export { amountDue, isOpen, payableRange, type PaymentLink, type LinkStatus } from './model.js';
