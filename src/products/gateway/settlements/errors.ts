import { defineError } from '../../../core/errors/app-error.js';

export const SettlementNotFoundError = defineError('not_found', 404, 'settlement_not_found');
export const InvalidSettlementSearchError = defineError('invalid_request', 400, 'invalid_settlement_search');
