/** Split settlements (reference §2.7): accounts, split validation for payment submission, edit or defer. */
export { createSplitService, type SplitService, type SplitDetailInput, type SplitAccountInput } from './service.js';
export { registerSplitRoutes, wireSplitAccount } from './routes.js';
export { splitDetailsSchema } from './schemas.js';
export { toStoredSplit, fromStoredSplit, merchantShare, parseSplitDetails, sameShares, type SplitShare, type SplitAccount } from './model.js';
export { gatewayId } from './model.js';
export { findAccounts } from './repository.js';
export { gatewaySplitAccounts, gatewaySettlementDeferrals } from './tables.js';
