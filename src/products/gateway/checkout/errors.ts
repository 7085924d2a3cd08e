import { defineError } from '../../../core/errors/app-error.js';

/** The checkout's order is unknown (its EnKash order id addresses the public page). */
export const CheckoutOrderNotFoundError = defineError('not_found', 404, 'checkout_order_not_found');
/** A card field of `/pay/charge/process` is not the base64 the checkout sends (reference §2.4). */
export const CheckoutCardEncodingError = defineError('invalid_request', 400, 'checkout_card_encoding');
/** The request names a transaction other than the one the keys belong to (uniqueTransactionId, merchantAccessKey). */
export const CheckoutMismatchError = defineError('invalid_request', 422, 'checkout_mismatch');
/** The calling page's origin is not on the merchant's allow-list (ADR 0035); answered without CORS headers. */
export const CheckoutOriginError = defineError('permission', 403, 'checkout_origin_not_allowed');
/** The client address has used up its minute on the public checkout routes (ADR 0035). */
export const CheckoutRateLimitError = defineError('rate_limit', 429, 'checkout_rate_limited');
/** A netbanking, wallet or pay-later code the checkout does not offer (resultCode 158 on `/pay/charge/process`, ADR 0045). */
export const CheckoutCodeNotOfferedError = defineError('invalid_request', 422, 'checkout_code_not_offered');
/** The transaction is not in a state that the page asked for (a UPI QR on a card attempt, a bank step already done). */
export const CheckoutStateError = defineError('conflict', 409, 'checkout_state_conflict');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayCheckoutErrorCodes: Record<string, string> = {
  checkout_order_not_found: 'The hosted checkout has no order with this EnKash order id.',
  checkout_card_encoding: 'A card field of the checkout charge is not base64 of the expected text (reference §2.4).',
  checkout_mismatch: 'A checkout call names another transaction than its keys (uniqueTransactionId, merchantAccessKey) belong to.',
  checkout_origin_not_allowed:
    "The calling page's origin is not on the merchant's checkout allow-list (settings checkoutOrigins); a sandbox company allows any origin by default.",
  checkout_rate_limited:
    'Too many requests (or too many unknown ids) from one client address on the public checkout routes within a minute; retry after Retry-After seconds.',
  checkout_code_not_offered: 'The bank, wallet or pay-later code of a checkout charge is not one the checkout offers (resultCode 158).',
  checkout_state_conflict: 'The checkout transaction is not in the state the call needs (a bank step already done, another flow chosen).',
};
