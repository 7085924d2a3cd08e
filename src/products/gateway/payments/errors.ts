import { defineError } from '../../../core/errors/app-error.js';

/** No payment (transaction) with this id in the caller's company, or the public key does not match. */
export const PaymentNotFoundError = defineError('not_found', 404, 'payment_not_found');
/** Another attempt of the same order is with the rail; the order takes one payment at a time. */
export const PaymentInProgressError = defineError('conflict', 409, 'payment_in_progress');
/** The attempt is not in the state the call needs (no OTP or 3-D Secure pending, already processed, final). */
export const PaymentStateError = defineError('conflict', 409, 'payment_state_conflict');
/** The company has not enabled this payment mode in its gateway settings. */
export const PaymentModeNotEnabledError = defineError('invalid_request', 422, 'payment_mode_not_enabled');
/** The card's BIN says another card type than the paymentMode (e.g. a debit card sent as CREDIT_CARD). */
export const CardModeMismatchError = defineError('invalid_request', 422, 'card_mode_mismatch');
/** UPI third-party validation: the account sent is not the one the order names. */
export const TpvMismatchError = defineError('invalid_request', 422, 'tpv_account_mismatch');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayPaymentsErrorCodes: Record<string, string> = {
  payment_not_found: "No gateway transaction with this id in the caller's company (or, on a public page, the key does not match).",
  payment_in_progress: 'Another payment of the same order is with the bank; an order takes one payment at a time.',
  payment_state_conflict: 'The transaction is not in the state the call needs: already processed, or not awaiting an OTP or 3-D Secure answer.',
  payment_mode_not_enabled: 'The merchant has not enabled this paymentMode in its gateway settings.',
  card_mode_mismatch: "The card's BIN names another card type than the paymentMode (a debit card sent as CREDIT_CARD).",
  tpv_account_mismatch: 'UPI third-party validation: the account sent is not the one the order allows.',
};
