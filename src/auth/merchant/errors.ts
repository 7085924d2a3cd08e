import { defineError } from '../../core/errors/app-error.js';

export const MerchantCredentialsError = defineError('authentication', 401, 'merchant_credentials_invalid');
export const MerchantTokenError = defineError('authentication', 401, 'merchant_token_invalid');
export const MerchantAccessKeyMissingError = defineError('authentication', 401, 'merchant_access_key_missing');
export const MerchantKeyExistsError = defineError('conflict', 409, 'merchant_key_exists');
export const MerchantKeyNotFoundError = defineError('not_found', 404, 'merchant_key_not_found');
export const MerchantTokenNotAcceptedError = defineError('authentication', 401, 'merchant_token_not_accepted');
