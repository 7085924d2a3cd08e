import { defineError } from '../../../core/errors/app-error.js';

export const SettlementNotFoundError = defineError('not_found', 404, 'settlement_not_found');
export const InvalidSettlementSearchError = defineError('invalid_request', 400, 'invalid_settlement_search');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewaySettlementsErrorCodes: Record<string, string> = {
  settlement_not_found: "No settlement payout with this settlementPayoutId in the caller's company.",
  invalid_settlement_search: 'A settlement search parameter is invalid: an unknown orderBy, or a range whose From is above its To.',
};
