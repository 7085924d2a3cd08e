import { defineError } from '../../../core/errors/app-error.js';

/** The company already has an order with this merchant `orderId` (reference §2.1: unique per merchant). */
export const DuplicateOrderIdError = defineError('conflict', 409, 'duplicate_order_id');
/** No order with this id (EnKash's or the merchant's) in the caller's company. */
export const OrderNotFoundError = defineError('not_found', 404, 'order_not_found');
/** The order is PAID, CANCELLED or EXPIRED, or has used all its payment attempts: it takes no payment. */
export const OrderNotPayableError = defineError('invalid_request', 422, 'order_not_payable');
/** The order cannot be cancelled in its state (already paid, cancelled or expired), or a payment is with the bank. */
export const OrderNotCancellableError = defineError('conflict', 409, 'order_not_cancellable');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayOrdersErrorCodes: Record<string, string> = {
  duplicate_order_id: 'The company already has an order with this merchant `orderId` (Payment Gateway, reference §2.1).',
  order_not_found: "No order with this id (EnKash's or the merchant's) in the caller's company.",
  order_not_payable: 'The order is PAID, CANCELLED or EXPIRED, or has no payment attempts left; it takes no payment.',
  order_not_cancellable: 'The order is already paid, cancelled or expired, or one of its payments is with the bank.',
};
