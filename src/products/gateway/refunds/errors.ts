import { defineError } from '../../../core/errors/app-error.js';

export const RefundNotFoundError = defineError('not_found', 404, 'refund_not_found');
export const RefundPaymentNotFoundError = defineError('not_found', 404, 'refund_payment_not_found');
export const PaymentNotRefundableError = defineError('invalid_request', 422, 'payment_not_refundable');
export const RefundExceedsRefundableError = defineError('invalid_request', 422, 'refund_exceeds_refundable');
export const RefundRequestIdReusedError = defineError('invalid_request', 422, 'refund_request_id_reused');
