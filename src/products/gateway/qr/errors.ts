import { defineError } from '../../../core/errors/app-error.js';

export const QrCodeNotFoundError = defineError('not_found', 404, 'qr_code_not_found');
export const QrCustomerNotFoundError = defineError('not_found', 404, 'qr_customer_not_found');
/** The referenceId is already used by another QR code of the company. */
export const DuplicateQrReferenceError = defineError('conflict', 409, 'duplicate_qr_reference_id');
/** The QR is closed (paid, cancelled or past closeBy): no payment, no cancel. */
export const QrCodeClosedError = defineError('conflict', 409, 'qr_code_closed');
/** A DYNAMIC QR's payment is already with the bank: it takes one payment at a time. */
export const QrPaymentInProgressError = defineError('conflict', 409, 'qr_payment_in_progress');
/** The amount paid is not the QR's fixed amount. */
export const QrAmountMismatchError = defineError('invalid_request', 422, 'qr_amount_mismatch');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayQrErrorCodes: Record<string, string> = {
  qr_code_not_found: "No UPI QR code with this id in the caller's company.",
  qr_customer_not_found: "No UPI QR customer with this id in the caller's company.",
  duplicate_qr_reference_id: 'The company already has a UPI QR code with this referenceId.',
  qr_code_closed: 'The UPI QR code is closed (paid, cancelled or past closeBy): it takes no payment and cannot be cancelled again.',
  qr_payment_in_progress: 'The DYNAMIC UPI QR code already has a payment with the bank, or was paid; it takes one payment.',
  qr_amount_mismatch: 'The amount paid is not the fixed amount of the UPI QR code.',
};
