/** Gateway refunds (reference §2.5): create, status, completion on the rail's sandbox timing, webhooks. */
export { createRefundsService, wireRefund, REFUND_TIMER, type RefundsService, type RefundsDeps } from './service.js';
export { registerRefundRoutes } from './routes.js';
export { REFUND_EVENTS, REFUND_SUCCESS, REFUND_FAILED } from './events.js';
export { REFUND_DELAY_MS, REFUND_SCENARIOS, type Refund, type RefundStatus } from './model.js';
export { gatewayRefunds } from './tables.js';
