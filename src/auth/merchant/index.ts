export { createMerchantService, type MerchantService, type MerchantIdentity, type MerchantKey } from './service.js';
export { merchantTokenPlugin } from './routes.js';
export { apiGuard, markMerchantRoutes, markPlatformRoutes } from './guard.js';
