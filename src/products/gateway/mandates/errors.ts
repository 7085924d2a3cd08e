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

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayMandatesErrorCodes: Record<string, string> = {
  mandate_not_found: "No UPI mandate (or mandate debit, or pre-debit notification) with this id in the caller's company.",
  mandate_reference_id_reused: 'The referenceId was already used for another UPI mandate of the company.',
  mandate_debit_reference_id_reused: 'The referenceId of a mandate debit was already used for a debit of another mandate or amount.',
  mandate_not_active: 'The mandate is not in a status the call needs (not ACTIVE: CREATED, REJECTED, EXPIRED, REVOKED or COMPLETED); nothing changed.',
  mandate_paused: 'The mandate is paused at that instant (pausePeriod): no pre-debit notification or debit in a paused cycle.',
  mandate_outside_cycle: 'The execution instant is outside the validity window or does not satisfy the recurrence rule (ON/BEFORE/AFTER value, IST).',
  mandate_notification_required:
    'NPCI pre-debit rule: no pre-debit notification for the cycle, or it was sent less than 24 hours before the debit (sandbox clock); nothing debited.',
  mandate_cycle_already_notified: 'The recurrence cycle already has its pre-debit notification.',
  mandate_cycle_already_debited: 'NPCI: one debit per cycle; the cycle already has a pending or successful debit.',
  mandate_amount_mismatch: 'An EXACT mandate debited another amount than its own, or a debit differs from the notified amount.',
  additional_authentication_required:
    "The debit is above the mandate amount or above NPCI's 15,000 rupee limit of debits without additional authentication; refused, nothing debited.",
};
