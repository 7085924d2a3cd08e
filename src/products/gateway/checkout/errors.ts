import { defineError } from '../../../core/errors/app-error.js';

/** The checkout's order is unknown (its EnKash order id addresses the public page). */
export const CheckoutOrderNotFoundError = defineError('not_found', 404, 'checkout_order_not_found');
/** A card field of `/pay/charge/process` is not the base64 the checkout sends (reference §2.4). */
export const CheckoutCardEncodingError = defineError('invalid_request', 400, 'checkout_card_encoding');
/** The request names a transaction other than the one the keys belong to (uniqueTransactionId, merchantAccessKey). */
export const CheckoutMismatchError = defineError('invalid_request', 422, 'checkout_mismatch');
/** The transaction is not in a state that the page asked for (a UPI QR on a card attempt, a bank step already done). */
export const CheckoutStateError = defineError('conflict', 409, 'checkout_state_conflict');
