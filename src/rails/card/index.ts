export type { CardRail, CardDetails, CardIdentity, CardAuthorization, CardAuthorizationStatus } from './rail.js';
export type { BinInfo, CardNetwork, CardType } from './rules.js';
export { CardSimulator } from './simulator.js';
export { cardTestData, TEST_CARDS, TEST_OTP } from './test-data.js';
