import { defineError } from '../../../core/errors/app-error.js';

export const PaymentButtonNotFoundError = defineError('not_found', 404, 'payment_button_not_found');
/** A payer clicked a button its merchant deactivated: no order is made. */
export const PaymentButtonInactiveError = defineError('invalid_request', 422, 'payment_button_inactive');
