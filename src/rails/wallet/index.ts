export type { WalletRail } from './rail.js';
export { WalletSimulator } from './simulator.js';
export { walletTestData, WALLET_PROVIDERS, type WalletKind } from './test-data.js';
