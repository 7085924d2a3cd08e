import { defineError } from '../../core/errors/app-error.js';

/** No utility payment with this id or referenceId in the company. EnKash answers 400 "No utility payment found" (reference §4, CONFIRMED). */
export const UtilityPaymentNotFoundError = defineError('not_found', 400, 'utility_payment_not_found');
/** The billerId is not in the catalogue. */
export const BillerNotFoundError = defineError('invalid_request', 422, 'biller_not_found');
/** The biller is in the catalogue but not active: EnKash's 422 "biller not active" (reference §1.4). */
export const BillerNotActiveError = defineError('invalid_request', 422, 'biller_not_active');
/** A circle the biller does not serve, or a `billParams` value missing or out of the biller's format; the message names it. */
export const InvalidBillerInputError = defineError('invalid_request', 422, 'invalid_biller_input');
/** The biller knows no such consumer number. */
export const InvalidConsumerNumberError = defineError('invalid_request', 422, 'invalid_consumer_number');
/** The biller did not answer the bill fetch. */
export const BillerUnavailableError = defineError('unavailable', 503, 'biller_unavailable');
/** Bill fetch on a biller that does not support it, or a bill without fetch on a biller that requires it. */
export const BillFetchModeError = defineError('invalid_request', 422, 'bill_fetch_mode');
/** The companyBillerId is unknown to the company, or it has no fetched bill to create a payment from. */
export const CompanyBillerNotFoundError = defineError('invalid_request', 422, 'company_biller_not_found');
/** The validationId is not the one of the last bill fetched for this companyBillerId. */
export const InvalidValidationIdError = defineError('invalid_request', 422, 'invalid_validation_id');
/** Add Consumer Number for a consumer the company already has for this biller. */
export const ConsumerNumberExistsError = defineError('conflict', 409, 'consumer_number_exists');
/** Update Consumer Number that would change the consumer number itself (`billParams.cn`). */
export const ConsumerNumberChangeError = defineError('invalid_request', 422, 'consumer_number_change');
/** The fetched bill already has a utility payment that has not failed. */
export const BillAlreadyCreatedError = defineError('conflict', 409, 'bill_already_created');
/** The amount does not fit the biller's rule (exact, exact and above) for the fetched bill. */
export const InvalidBillAmountError = defineError('invalid_request', 422, 'invalid_bill_amount');
/** A utility payment in the approval request is not waiting for approval (already approved or auto-debited). */
export const NotPendingApprovalError = defineError('conflict', 409, 'utility_payment_not_pending_approval');
/** Pay via the Payment Gateway: the bill is not awaiting payment (paid, being paid through an open order, or refunded). */
export const NotPayableError = defineError('conflict', 409, 'utility_payment_not_payable');
/** The companyId in the body is not the company of the bearer token (EnKash 412 "Invalid Company ID"). */
export { InvalidCompanyIdError } from '../../core/events/errors.js';

// Business failures: HTTP 200 with a non-zero response_code (reference §1.4), mapped by
// BUSINESS_RESPONSE_CODES in this area's routes. Nothing was written when one is answered.
/** The company balance (payout_float) cannot pay the bill(s). */
export const InsufficientBalanceError = defineError('conflict', 200, 'insufficient_balance');
/** More bills for this consumer today than the company's daily count limit (response_code 36). */
export const VelocityCountError = defineError('rate_limit', 200, 'velocity_count_breached');
/** More rupees for this consumer today than the company's daily amount limit (response_code 37). */
export const VelocityAmountError = defineError('rate_limit', 200, 'velocity_amount_breached');
/** The referenceId was used before by this company (response_code 38). */
export const DuplicateReferenceIdError = defineError('conflict', 200, 'duplicate_reference_id');

/** The `response_code` of each business failure (reference §1.4: 1 failure, 36/37 velocity, 38 duplicate referenceId). */
export const BUSINESS_RESPONSE_CODES: Readonly<Record<string, number>> = {
  insufficient_balance: 1,
  velocity_count_breached: 36,
  velocity_amount_breached: 37,
  duplicate_reference_id: 38,
};

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const bbpsErrorCodes: Record<string, string> = {
  utility_payment_not_found: 'No utility payment with this id or referenceId in the company (EnKash: 400 "No utility payment found").',
  biller_not_found: 'The billerId is not in the biller catalogue.',
  biller_not_active: 'The biller is not active (EnKash: 422 "biller not active").',
  invalid_biller_input: "A circle the biller does not serve, or a billParams value missing or not in the biller's format; the message names it.",
  invalid_consumer_number: 'The biller does not know the consumer number.',
  biller_unavailable: 'The biller did not answer the bill fetch; retry later.',
  bill_fetch_mode: 'Bill fetch on a biller that does not support it, or a bill without fetch on a biller that requires a fetch.',
  company_biller_not_found: 'The companyBillerId is unknown to the company, or has no fetched bill.',
  invalid_validation_id: 'The validationId is not the one of the last bill fetched for the companyBillerId.',
  bill_already_created: 'The fetched bill already has a utility payment that has not failed.',
  consumer_number_exists: 'Add Consumer Number: the company already has this consumer number for this biller (its companyBillerId is in the message).',
  consumer_number_change: 'Update Consumer Number cannot change billParams.cn; add the new consumer number instead.',
  invalid_bill_amount: "The amount does not fit the biller's rule (exact, exact and above) for the fetched bill.",
  utility_payment_not_pending_approval:
    'A utility payment in the approval request is not waiting for approval (approved, auto-debited, or being paid through an open Payment Gateway order).',
  utility_payment_not_payable: 'Pay via the Payment Gateway: the bill is not awaiting payment (already paid or refunded, or its gateway order is still open).',
  insufficient_balance: 'Business failure (HTTP 200, response_code 1): the company balance cannot pay the bill(s); nothing was debited.',
  velocity_count_breached: 'Business failure (HTTP 200, response_code 36): the daily count of bills for this consumer is reached.',
  velocity_amount_breached: 'Business failure (HTTP 200, response_code 37): the daily amount for this consumer would be exceeded.',
  duplicate_reference_id: 'Business failure (HTTP 200, response_code 38): the referenceId was used before by this company.',
};
