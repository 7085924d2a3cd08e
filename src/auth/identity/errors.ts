import { defineError } from '../../core/errors/app-error.js';

export const CompanyExistsError = defineError('conflict', 409, 'company_exists');
export const CompanyNotFoundError = defineError('not_found', 404, 'company_not_found');
export const UsernameTakenError = defineError('conflict', 409, 'username_taken');
export const UserNotFoundError = defineError('not_found', 404, 'user_not_found');
export const ClientExistsError = defineError('conflict', 409, 'client_exists');
export const InvalidIdentityInputError = defineError('invalid_request', 400, 'invalid_identity_input');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const authIdentityErrorCodes: Record<string, string> = {
  company_exists: 'A company with this id already exists.',
  company_not_found: 'No company with this id.',
  username_taken: 'The username (mobile number or email) is already registered.',
  user_not_found: 'No user with this username.',
  client_exists: 'The company already has its OAuth client (clientId = companyId).',
  invalid_identity_input: 'A company, user or client field is invalid; the message names it.',
};
