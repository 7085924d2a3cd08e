import { defineError } from '../errors/app-error.js';

/** EnKash answers 412 "Invalid Company ID" when the body's companyId is not the caller's (reference §1.4). */
export const InvalidCompanyIdError = defineError('invalid_request', 412, 'invalid_company_id');
export const InvalidWebhookConfigError = defineError('invalid_request', 400, 'invalid_webhook_config');
export const WebhookTargetForbiddenError = defineError('invalid_request', 400, 'webhook_target_forbidden');
export const WebhookConfigNotFoundError = defineError('not_found', 404, 'webhook_config_not_found');
export const EventNotFoundError = defineError('not_found', 404, 'event_not_found');
export const InvalidReplayRangeError = defineError('invalid_request', 400, 'invalid_replay_range');
/** Raised at start, not over HTTP: the server key cannot open the secrets this database holds. */
export const SecretsKeyMismatchError = defineError('internal', 500, 'secrets_key_mismatch');
