import { defineError } from '../../core/errors/app-error.js';

export const CompanyExistsError = defineError('conflict', 409, 'company_exists');
export const CompanyNotFoundError = defineError('not_found', 404, 'company_not_found');
export const UsernameTakenError = defineError('conflict', 409, 'username_taken');
export const UserNotFoundError = defineError('not_found', 404, 'user_not_found');
export const ClientExistsError = defineError('conflict', 409, 'client_exists');
export const InvalidIdentityInputError = defineError('invalid_request', 400, 'invalid_identity_input');
