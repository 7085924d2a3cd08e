import { defineError } from '../../../core/errors/app-error.js';

export const MandateNotFoundError = defineError('not_found', 404, 'mandate_not_found');
export const MandateReferenceReusedError = defineError('conflict', 409, 'mandate_reference_id_reused');
export const MandateDebitReferenceReusedError = defineError('conflict', 409, 'mandate_debit_reference_id_reused');
export const MandateNotActiveError = defineError('invalid_request', 422, 'mandate_not_active');
export const MandatePausedError = defineError('invalid_request', 422, 'mandate_paused');
export const MandateOutsideCycleError = defineError('invalid_request', 422, 'mandate_outside_cycle');
export const MandateNotificationRequiredError = defineError('invalid_request', 422, 'mandate_notification_required');
export const MandateCycleNotifiedError = defineError('conflict', 409, 'mandate_cycle_already_notified');
export const MandateCycleDebitedError = defineError('invalid_request', 422, 'mandate_cycle_already_debited');
export const MandateAmountMismatchError = defineError('invalid_request', 422, 'mandate_amount_mismatch');
export const AdditionalAuthenticationRequiredError = defineError('invalid_request', 422, 'additional_authentication_required');
