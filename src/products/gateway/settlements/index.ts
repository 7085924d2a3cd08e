/** Gateway settlements (reference §2.6): T+N batches on the sandbox clock, carry-forward, payouts with a UTR, get and search. */
export { createSettlementsService, wireSettlement, SETTLEMENT_TIMER, type SettlementsService, type SettlementsDeps } from './service.js';
export { registerSettlementRoutes } from './routes.js';
export { SETTLEMENT_EVENTS, SETTLEMENT_SUCCESS, SETTLEMENT_FAILED } from './events.js';
export { computeSettlement, settlementPostings, batchRunAt, batchDateForCapture, istDate } from './model.js';
export { createGatewayMoney, registerGatewayMoneyRoutes, GATEWAY_MONEY_EVENTS, type GatewayMoney, type GatewayMoneyDeps } from './compose.js';
