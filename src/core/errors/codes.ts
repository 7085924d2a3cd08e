/**
 * The catalogue of stable error codes: those of the AppError classes and those the envelope
 * mapper gives framework errors (core/http/envelope.ts). A test checks that every class's code is
 * listed here and that docs/errors.md documents each of them.
 */
export const errorCatalogue: Record<string, string> = {
  validation_failed: 'A field failed schema validation; the message names the field.',
  malformed_body: 'The body could not be parsed (malformed JSON or form data).',
  duplicate_parameter: 'A form parameter was sent more than once.',
  unsupported_media_type: 'The Content-Type is not accepted by this route.',
  payload_too_large: 'The body is larger than the configured limit.',
  invalid_encrypted_request: 'The AES-wrapped `{"request": ...}` body could not be decrypted.',
  route_not_found: 'No route matches the method and path.',
  internal_error: 'An unexpected error; the log line with the same request id has the detail.',
  company_exists: 'A company with this id already exists.',
  company_not_found: 'No company with this id.',
  username_taken: 'The username (mobile number or email) is already registered.',
  user_not_found: 'No user with this username.',
  client_exists: 'The company already has its OAuth client (clientId = companyId).',
  invalid_identity_input: 'A company, user or client field is invalid; the message names it.',
  sandbox_clock_backwards: 'The sandbox clock only moves forward; the target is before its current time.',
  sandbox_only: 'The operation exists only for companies in sandbox mode.',
  invalid_company_id: 'The companyId in the body is not the company of the bearer token (EnKash: 412 "Invalid Company ID").',
  invalid_webhook_config: 'A webhook configuration field is invalid (URL, headers, events, certificate, overlap); the message names it.',
  webhook_target_forbidden: 'The webhook or notify URL points at a private, loopback or reserved address, which only sandbox companies may target.',
  webhook_config_not_found: 'No webhook configuration with this id in the company.',
  event_not_found: 'No event with this id in the company.',
  invalid_replay_range: 'The replay range is empty, longer than 31 days, names an unknown type or holds more than 1000 events.',
  idempotency_key_missing: 'The route requires an Idempotency-Key header and none was sent.',
  idempotency_key_invalid: 'The Idempotency-Key header is not 1 to 255 printable ASCII characters.',
  idempotency_key_reused: 'The Idempotency-Key was already used for a different request (method, path or body).',
  idempotency_request_in_progress: 'The first request with this Idempotency-Key is still being processed; retry after Retry-After.',
  oauth_error: 'An OAuth2 token-endpoint or resource-server error in the Spring Security OAuth2 shape.',
  invalid_scenario: 'The X-Tijori-Scenario header does not follow the scenario grammar; the message names the scenario.',
  scenario_not_supported: 'The named scenario is well formed but the rail behind this request does not support it.',
  invalid_rail_input: 'A value handed to a simulated rail is malformed (card number, expiry, CVV, VPA, IFSC, PAN, GSTIN, bank code); the message names the field.',
  card_authentication_not_found: 'No OTP or 3-D Secure session with this id for this company.',
  card_authentication_completed: 'The OTP or 3-D Secure session already ended (succeeded, failed or expired).',
};
