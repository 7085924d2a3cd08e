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
