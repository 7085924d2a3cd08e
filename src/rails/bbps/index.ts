export type { BbpsRail, BillerRef, FetchedBill, BillFetchAnswer, BillPayResult } from './rail.js';
export { BbpsSimulator, BBPS_PAY_SCENARIOS, BBPS_FETCH_SCENARIOS } from './simulator.js';
export { bbpsTestData, BBPS_CONSUMERS, BILLPAY_STAGES, type BillPayStage } from './test-data.js';
export { prepaidPlansOf, type PrepaidPlan } from './prepaid-plans.js';
export { BILLERS, BILLER_TYPES, CIRCLES, findBiller, servesCircle, type Biller, type BillerType, type BillInputParam, type Circle } from './catalogue.js';
