import { defineError } from '../../../core/errors/app-error.js';

export const RefundNotFoundError = defineError('not_found', 404, 'refund_not_found');
export const RefundPaymentNotFoundError = defineError('not_found', 404, 'refund_payment_not_found');
export const PaymentNotRefundableError = defineError('invalid_request', 422, 'payment_not_refundable');
export const RefundExceedsRefundableError = defineError('invalid_request', 422, 'refund_exceeds_refundable');
export const RefundRequestIdReusedError = defineError('invalid_request', 422, 'refund_request_id_reused');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayRefundsErrorCodes: Record<string, string> = {
  refund_not_found: "No refund with this transactionId in the caller's company.",
  refund_payment_not_found: "No payment with this transactionId in the caller's company.",
  payment_not_refundable: 'The payment is not captured (status SUCCESS or PARTIALLY_REFUNDED), so it cannot be refunded.',
  refund_exceeds_refundable: 'The refund amount exceeds what is left to refund on the payment (captured amount less refunds made or in progress).',
  refund_request_id_reused: 'The requestId was already used for a refund of another payment or amount.',
};
