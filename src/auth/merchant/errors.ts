import { defineError } from '../../core/errors/app-error.js';

export const MerchantCredentialsError = defineError('authentication', 401, 'merchant_credentials_invalid');
export const MerchantTokenError = defineError('authentication', 401, 'merchant_token_invalid');
export const MerchantAccessKeyMissingError = defineError('authentication', 401, 'merchant_access_key_missing');
export const MerchantKeyExistsError = defineError('conflict', 409, 'merchant_key_exists');
export const MerchantKeyNotFoundError = defineError('not_found', 404, 'merchant_key_not_found');
export const MerchantTokenNotAcceptedError = defineError('authentication', 401, 'merchant_token_not_accepted');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const authMerchantErrorCodes: Record<string, string> = {
  merchant_credentials_invalid: 'The accessKey and secretKey of a merchant token request do not match an active merchant key.',
  merchant_token_invalid: 'The merchant bearer token is unknown, expired or revoked, or was issued to another merchantAccessKey.',
  merchant_access_key_missing: 'A Payment Gateway route was called without the merchantAccessKey header (an OAuth token alone is not accepted there).',
  merchant_token_not_accepted: 'A merchant token (merchantAccessKey header) was sent to an API that takes only OAuth tokens (payouts, bill payments).',
  merchant_key_exists: 'A merchant access key with this value already exists.',
  merchant_key_not_found: 'No active merchant access key with this value (in this company).',
};
