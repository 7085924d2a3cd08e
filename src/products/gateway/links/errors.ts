import { defineError } from '../../../core/errors/app-error.js';

/** No payment link with this quickCollectRequestId in the caller's company. */
export const PaymentLinkNotFoundError = defineError('not_found', 404, 'payment_link_not_found');
/** The company already has a payment link with this referenceId. */
export const DuplicatePaymentLinkReferenceError = defineError('conflict', 409, 'duplicate_payment_link_reference');
/** A create field breaks a rule the schema cannot state (dates, partial amounts, a notice without its recipient). */
export const InvalidPaymentLinkError = defineError('invalid_request', 400, 'invalid_payment_link');
/** The link is PAID, EXPIRED or CANCELLED (or a payment of it is with the bank): it cannot be cancelled. */
export const PaymentLinkNotCancellableError = defineError('conflict', 409, 'payment_link_not_cancellable');
/** The link takes no payment now (paid, expired, cancelled), or the amount chosen is out of its range. */
export const PaymentLinkNotPayableError = defineError('invalid_request', 422, 'payment_link_not_payable');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayLinksErrorCodes: Record<string, string> = {
  payment_link_not_found: "No payment link with this quickCollectRequestId (in the caller's company, or at all for the public page).",
  duplicate_payment_link_reference: 'The company already has a payment link with this referenceId.',
  invalid_payment_link:
    "A payment link field breaks a rule: a date not after the sandbox time or dueDate after expiryDate, minPartialAmount without partialPayment or above the amount, sendSms/sendEmail without the customer's mobile or e-mail. The message names the field.",
  payment_link_not_cancellable: 'The payment link is PAID, EXPIRED or CANCELLED, or a payment of it is with the bank: it cannot be cancelled now.',
  payment_link_not_payable:
    'The payment link takes no payment (PAID, EXPIRED, CANCELLED, or a payment of it is with the bank), or the amount chosen on its page is outside what it accepts.',
};
