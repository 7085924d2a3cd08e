export {
  createLedger,
  type Ledger,
  type AccountRef,
  type EnsureAccountInput,
  type PostInput,
  type PostingInput,
  type HoldInput,
  type BusinessReference,
} from './service.js';
export * from './model.js';
export * from './errors.js';
export { CHART, DEFAULT_ACCOUNTS, RAILS, TRANSACTION_CODES, chartAccount, type ChartCode, type TransactionCode } from './chart.js';
export { verifyLedger, formatReport, type Break, type BreakKind, type VerifyReport } from './verify.js';
export { registerLedgerRoutes } from './routes.js';
