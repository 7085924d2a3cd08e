/** Payment buttons (ADR 0022): definitions under /api, a public click that creates an order, and the embed script's view. */
export { createButtonsService, type ButtonsService, type ButtonsDeps } from './service.js';
export { registerButtonRoutes, wireButton, wirePublicButton, embedCode } from './routes.js';
export { registerButtonPublicRoutes } from './public-routes.js';
export { BUTTON_PARAMETER, type PaymentButton, type ButtonField } from './model.js';
