import { defineError } from '../../../core/errors/app-error.js';

export const PaymentButtonNotFoundError = defineError('not_found', 404, 'payment_button_not_found');
/** A payer clicked a button its merchant deactivated: no order is made. */
export const PaymentButtonInactiveError = defineError('invalid_request', 422, 'payment_button_inactive');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayButtonErrorCodes: Record<string, string> = {
  payment_button_not_found: "No payment button with this id (in the caller's company, for the /api routes).",
  payment_button_inactive: 'The payment button is deactivated: a click creates no order until the merchant activates it again.',
};
