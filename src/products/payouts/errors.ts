import { defineError } from '../../core/errors/app-error.js';

// Payout errors that reach the wire as an envelope with the HTTP status of reference §1.4:
// 409 for duplicate ids, 412 for the checksum and "account or VPA, not both", 422 for field rules
// (schema rejections too: wire-errors.ts).
// A REJECTED transfer is not an error: it is a recorded attempt answered with its reject code.

export const PayoutBeneficiaryExistsError = defineError('conflict', 409, 'payout_beneficiary_exists');
export const PayoutBeneficiaryNotFoundError = defineError('not_found', 404, 'payout_beneficiary_not_found');
/** A beneficiary field breaks its rule; the message names it. */
export const PayoutBeneficiaryInvalidError = defineError('invalid_request', 422, 'payout_beneficiary_invalid');
/** Both an account (with IFSC) and a VPA, or neither (reference §3: 412). */
export const PayoutBeneficiaryDestinationError = defineError('invalid_request', 412, 'payout_beneficiary_destination');
/** The request checksum is missing or wrong while the client's setting is `strict` (412 "Invalid checksum in the request"). */
export const PayoutInvalidChecksumError = defineError('invalid_request', 412, 'payout_invalid_checksum');
export const PayoutTransactionExistsError = defineError('conflict', 409, 'payout_transaction_exists');
export const PayoutBatchExistsError = defineError('conflict', 409, 'payout_batch_exists');
/** A batch is empty, too long, or names one transactionId twice. */
export const PayoutBatchInvalidError = defineError('invalid_request', 422, 'payout_batch_invalid');
export const PayoutSourceAccountExistsError = defineError('conflict', 409, 'payout_source_account_exists');
/** A source bank account or add-funds field is invalid; the message names it. */
export const PayoutAccountInvalidError = defineError('invalid_request', 422, 'payout_account_invalid');
/** A statement's or search's dates are malformed, reversed, or (statement) span more than 31 days. */
export const PayoutDateRangeError = defineError('invalid_request', 422, 'payout_invalid_date_range');
/** A field the route's schema refuses (missing, wrong type or format, unknown) or an amount that is none: EnKash's 422. */
export const PayoutInvalidFieldError = defineError('invalid_request', 422, 'payout_invalid_field');
/** A `clientId` header that is not the token's client (EnKash: 422 "Invalid Client ID"). */
export const PayoutInvalidClientIdError = defineError('invalid_request', 422, 'payout_invalid_client_id');
/** The client's payout APIs are turned off (`tijori client set-payouts`): EnKash's 403 "APIs not enabled". */
export const PayoutsNotEnabledError = defineError('permission', 403, 'payouts_not_enabled');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const payoutsErrorCodes: Record<string, string> = {
  payout_beneficiary_exists: 'The beneficiaryId is already used by a beneficiary of the company.',
  payout_beneficiary_not_found: 'No beneficiary with this beneficiaryId in the company.',
  payout_beneficiary_invalid: 'A beneficiary field breaks its rule (id, name, account, IFSC, VPA, email, phone, pincode); the message names it.',
  payout_beneficiary_destination: 'A beneficiary has both an account (with IFSC) and a VPA, or neither (EnKash: 412).',
  payout_invalid_checksum:
    'The request checksum is missing or wrong and the client verifies checksums strictly (EnKash: 412 "Invalid checksum in the request").',
  payout_transaction_exists: 'The transactionId is already used by a payout that was not rejected.',
  payout_batch_exists: 'The batchTransactionId is already used.',
  payout_batch_invalid: 'A batch is empty, holds more than 500 transfers, names a transactionId twice or has a malformed batchTransactionId.',
  payout_source_account_exists: 'The source bank account is already registered.',
  payout_account_invalid: 'A source bank account or add-funds field is invalid; the message names it.',
  payout_invalid_date_range: 'A statement or payout search date range is malformed, reversed, or (statement) longer than 31 days (422).',
  payout_invalid_field:
    'A payouts request field is missing, of the wrong type or format, unknown, or an amount with a third decimal: 422 "Please provide a valid <field>: <why>", as EnKash answers field errors.',
  payout_invalid_client_id: 'The clientId header names a client other than the bearer token\'s (EnKash: 422 "Invalid Client ID").',
  payouts_not_enabled:
    'The OAuth client\'s payout APIs are turned off (tijori client set-payouts --payouts off): every payout route answers EnKash\'s 403 "APIs not enabled" and changes nothing.',
};
