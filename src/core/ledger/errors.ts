import { defineError } from '../errors/app-error.js';

// Domain errors of the ledger. Products catch the ones their callers can cause (insufficient
// funds, duplicate reference) and answer with EnKash's business failure; an unbalanced
// transaction or a currency mix-up is a bug in the caller and is a LedgerInvariantError (500).

/** The available balance of a non-negative account would go below zero. */
export const LedgerInsufficientFundsError = defineError('invalid_request', 422, 'ledger_insufficient_funds');
export const LedgerAccountNotFoundError = defineError('not_found', 404, 'ledger_account_not_found');
export const LedgerTransactionNotFoundError = defineError('not_found', 404, 'ledger_transaction_not_found');
export const LedgerHoldNotFoundError = defineError('not_found', 404, 'ledger_hold_not_found');
/** The business event (code + reference) already has its transaction or hold. */
export const LedgerDuplicateReferenceError = defineError('conflict', 409, 'ledger_duplicate_reference');
export const LedgerAlreadyReversedError = defineError('conflict', 409, 'ledger_already_reversed');
export const LedgerHoldNotPendingError = defineError('conflict', 409, 'ledger_hold_not_pending');
export const LedgerCaptureExceedsHoldError = defineError('invalid_request', 422, 'ledger_capture_exceeds_hold');
/** ensureAccount found the code with a different type or limits. */
export const LedgerAccountConflictError = defineError('conflict', 409, 'ledger_account_conflict');
/** A ledger read API query parameter is malformed (an instant that is not ISO 8601, an unknown type). */
export const LedgerInvalidQueryError = defineError('invalid_request', 400, 'ledger_invalid_query');
