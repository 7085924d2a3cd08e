/** UPI QR codes (reference §2.8): static and dynamic QRs, QR customers, and the sandbox payer. */
export { createQrService, type QrService, type QrDeps, QR_CLOSE_TIMER } from './service.js';
export { registerQrRoutes, registerQrSandboxRoutes } from './routes.js';
export { QR_EVENTS, QR_CODE_CLOSED } from './events.js';
export { gatewayQrCodes, gatewayQrCustomers, gatewayQrPayments } from './tables.js';
