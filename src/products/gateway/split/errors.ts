import { defineError } from '../../../core/errors/app-error.js';

export const SplitAccountNotFoundError = defineError('not_found', 404, 'split_account_not_found');
export const SplitAccountExistsError = defineError('conflict', 409, 'split_account_exists');
/** Split details that cannot be settled: amounts, a repeated, unknown or inactive account, or a sum above the amount. */
export const InvalidSplitDetailsError = defineError('invalid_request', 422, 'invalid_split_details');
export const SplitNotEditableError = defineError('conflict', 409, 'split_not_editable');
export const SplitPaymentNotFoundError = defineError('not_found', 404, 'split_payment_not_found');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewaySplitErrorCodes: Record<string, string> = {
  split_account_not_found: "No split-settlement account with this id in the caller's company.",
  split_account_exists: 'The company already has a split-settlement account for this bank account (account number and IFSC).',
  invalid_split_details:
    'splitDetails cannot be settled: a share is not positive, an account repeats, is unknown or inactive, or the shares add up to more than the amount.',
  split_payment_not_found: "No payment with this transactionId in the caller's company (edit or defer a split).",
  split_not_editable: 'The payment is not successful, or is already settled: its split can no longer be edited or deferred.',
};
