import type { FastifyPluginAsync } from 'fastify';
import { registerPayoutRoutes } from './routes.js';
import type { PayoutsService } from './service.js';
import { checkClientIdHeader, checkPayoutsEnabled, payoutsErrorHandler } from './wire-errors.js';

/** Payouts (reference §3): payout account, beneficiaries, transfers. docs/api/payouts.md, ADR 0014. */

/**
 * The payout routes as an encapsulated plugin: EnKash's 422 for field errors and its "Invalid
 * Client ID" and its 403 "APIs not enabled" stay inside it (wire-errors.ts). The AES wrapping is the /api scope's, per client.
 */
export const payoutsPlugin: FastifyPluginAsync<{ service: PayoutsService }> = async (api, { service }) => {
  api.setErrorHandler(payoutsErrorHandler);
  // After the /api scope's bearer check (a parent hook runs first), before anything reads the body.
  api.addHook('onRequest', checkPayoutsEnabled);
  api.addHook('preValidation', checkClientIdHeader);
  registerPayoutRoutes(api, service);
};
export { createPayoutsService, OUTCOME_LISTENER, BATCH_TIMER, type PayoutsService, type PayoutsDeps } from './service.js';
export { CHECKSUM_HEADER } from './routes.js';
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
