export type { BbpsRail, BillerRef, FetchedBill, BillFetchAnswer } from './rail.js';
