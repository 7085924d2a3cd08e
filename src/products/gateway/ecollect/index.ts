/** E-Collect virtual accounts (reference §2.11; ADR 0025): accounts, search, credits, and the sandbox inward credit. */
export { createEcollectService, type EcollectService, type EcollectDeps } from './service.js';
export { registerEcollectRoutes, registerEcollectSandboxRoutes } from './routes.js';
export { ECOLLECT_EVENTS, VIRTUAL_ACCOUNT_CREDITED } from './events.js';
export { gatewayVirtualAccounts, gatewayVirtualAccountCredits } from './tables.js';
