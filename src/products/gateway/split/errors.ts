import { defineError } from '../../../core/errors/app-error.js';

export const SplitAccountNotFoundError = defineError('not_found', 404, 'split_account_not_found');
export const SplitAccountExistsError = defineError('conflict', 409, 'split_account_exists');
/** Split details that cannot be settled: amounts, a repeated, unknown or inactive account, or a sum above the amount. */
export const InvalidSplitDetailsError = defineError('invalid_request', 422, 'invalid_split_details');
export const SplitNotEditableError = defineError('conflict', 409, 'split_not_editable');
export const SplitPaymentNotFoundError = defineError('not_found', 404, 'split_payment_not_found');
