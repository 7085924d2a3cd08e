import { defineError } from '../../../core/errors/app-error.js';

export const VirtualAccountNotFoundError = defineError('not_found', 404, 'virtual_account_not_found');
export const VirtualAccountReferenceExistsError = defineError('conflict', 409, 'virtual_account_reference_exists');
/** A PATCH to an account the merchant closed: closing is final. */
export const VirtualAccountClosedError = defineError('conflict', 409, 'virtual_account_closed');
/** A UTR already recorded for another credit (another account, amount or mode). */
export const VirtualAccountUtrReusedError = defineError('conflict', 409, 'virtual_account_utr_reused');
