import { defineError } from '../../../core/errors/app-error.js';

export const VirtualAccountNotFoundError = defineError('not_found', 404, 'virtual_account_not_found');
export const VirtualAccountReferenceExistsError = defineError('conflict', 409, 'virtual_account_reference_exists');
/** A PATCH to an account the merchant closed: closing is final. */
export const VirtualAccountClosedError = defineError('conflict', 409, 'virtual_account_closed');
/** A UTR already recorded for another credit (another account, amount or mode). */
export const VirtualAccountUtrReusedError = defineError('conflict', 409, 'virtual_account_utr_reused');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const gatewayEcollectErrorCodes: Record<string, string> = {
  virtual_account_not_found: "No virtual account with this id, account number or VPA in the caller's company.",
  virtual_account_reference_exists: 'The company already has a virtual account with this referenceId.',
  virtual_account_closed: 'The virtual account was closed by the merchant and can no longer be changed.',
  virtual_account_utr_reused: 'The UTR was already recorded for a credit to another virtual account, of another amount or by another mode.',
};
