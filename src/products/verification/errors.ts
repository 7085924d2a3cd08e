import { defineError } from '../../core/errors/app-error.js';

/** `consent` is missing or not "Y", or `purpose` is missing: the message names the field (issue 20 part 1). */
export const ConsentRequiredError = defineError('invalid_request', 422, 'consent_required');
/** No check with this verificationId in the company (another company's id included). */
export const VerificationNotFoundError = defineError('not_found', 404, 'verification_not_found');
/** The referenceId was used by the company for another check type or another input. */
export const ReferenceConflictError = defineError('conflict', 409, 'verification_reference_conflict');
/** A name with nothing left once normalised and its honorifics dropped. */
export const InvalidNameError = defineError('invalid_request', 422, 'invalid_name');
/** Name-matching thresholds out of 0 ≤ partial ≤ match ≤ 100. */
export const InvalidThresholdsError = defineError('invalid_request', 422, 'invalid_name_match_thresholds');

/** A reverse penny drop for a company with no active Payment Gateway merchant key: nothing was sent or recorded. */
export const GatewayMerchantRequiredError = defineError('invalid_request', 422, 'verification_gateway_merchant_required');

/** Business failure (HTTP 200, response_code 1, as payouts answer it): the payout balance cannot pay the penny drop; nothing moved or was recorded. */
export const InsufficientBalanceError = defineError('conflict', 200, 'verification_insufficient_balance');

/** The `response_code` of each business failure (reference §1.4). */
export const BUSINESS_RESPONSE_CODES: Readonly<Record<string, number>> = { verification_insufficient_balance: 1 };

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const verificationErrorCodes: Record<string, string> = {
  consent_required: 'A verification without `consent` "Y" and a `purpose`; the message names the field. Nothing was checked or recorded.',
  verification_not_found: 'No verification check with this verificationId in the company.',
  verification_reference_conflict: 'The referenceId was used before by this company for another check type or another input; send a new referenceId.',
  invalid_name: 'A name with no letters or digits once normalised and its honorifics (Mr, Dr, Shri…) dropped.',
  verification_insufficient_balance:
    'Business failure (HTTP 200, response_code 1): the payout balance cannot pay the ₹1.00 penny drop; nothing moved and the check was not recorded.',
  invalid_name_match_thresholds: 'Name-matching thresholds must satisfy 0 ≤ partial ≤ match ≤ 100.',
  verification_gateway_merchant_required:
    'A reverse penny drop needs the company to be a Payment Gateway merchant (an active merchant key): the ₹1.00 collect is one of its gateway payments. Nothing was sent or recorded.',
};
