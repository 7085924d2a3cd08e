/** Payouts (reference §3): payout account, beneficiaries, transfers. docs/api/payouts.md, ADR 0014. */
export { createPayoutsService, OUTCOME_LISTENER, BATCH_TIMER, type PayoutsService, type PayoutsDeps } from './service.js';
export { registerPayoutRoutes, CHECKSUM_HEADER } from './routes.js';
export { PAYOUT_EVENTS } from './events.js';
export {
  computeChecksum,
  beneficiaryChecksumFields,
  transferChecksumFields,
  REJECT_CODES,
  TRANSFER_STATUSES,
  type Transfer,
  type TransferStatus,
  type Beneficiary,
} from './model.js';
