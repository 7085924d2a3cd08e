export type { UpiRail, UpiPaymentResult, UpiIntentResult, UpiPayee, VpaVerification } from './rail.js';
export { UpiSimulator, upiRrn } from './simulator.js';
export { buildUpiUri, formatRupees, isVpa, normalizeVpa, type UpiPayParams } from './rules.js';
export { upiTestData, TEST_VPAS, TEST_MANDATE_VPAS, DEFAULT_UPI_EXPIRY_MS } from './test-data.js';
