import { toWireError } from '../../../core/http/wire-error.js';

/**
 * `resultCode` of a payment's input-validation rejection (reference §1.4: 156/158, CONFIRMED-SDK;
 * the SDK treats both alike: the form is fixed and sent again, nothing is settled). Which is which
 * is Tijori's reading (ADR 0037): 156, a field of the payment detail is missing or malformed;
 * 158, the detail is well-formed but this merchant or order does not take it.
 */
export const INVALID_DETAIL = 156;
export const DETAIL_NOT_ACCEPTED = 158;

/** The error codes of a payment's input-validation rejections, and their resultCode. */
export const VALIDATION_RESULT_CODES: Readonly<Record<string, typeof INVALID_DETAIL | typeof DETAIL_NOT_ACCEPTED>> = {
  validation_failed: INVALID_DETAIL,
  malformed_body: INVALID_DETAIL,
  invalid_amount: INVALID_DETAIL,
  invalid_rail_input: INVALID_DETAIL,
  checkout_card_encoding: INVALID_DETAIL,
  payment_mode_not_enabled: DETAIL_NOT_ACCEPTED,
  card_mode_mismatch: DETAIL_NOT_ACCEPTED,
  tpv_account_mismatch: DETAIL_NOT_ACCEPTED,
  checkout_code_not_offered: DETAIL_NOT_ACCEPTED,
};

export interface ValidationRejection {
  resultCode: typeof INVALID_DETAIL | typeof DETAIL_NOT_ACCEPTED;
  /** The stable error code (X-Error-Code). */
  code: string;
  resultMessage: string;
}

/** The rejection `err` stands for when it is a payment's input-validation error, else null. */
export function validationRejection(err: unknown): ValidationRejection | null {
  const wire = toWireError(err);
  const resultCode = VALIDATION_RESULT_CODES[wire.code];
  return resultCode === undefined ? null : { resultCode, code: wire.code, resultMessage: wire.message };
}
