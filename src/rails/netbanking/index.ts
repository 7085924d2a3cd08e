export type { NetbankingRail } from './rail.js';
export { NetbankingSimulator } from './simulator.js';
export { netbankingTestData, NETBANKING_BANKS } from './test-data.js';
