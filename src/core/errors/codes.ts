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
  invalid_amount: 'An amount is not money: not a number, more decimals than the currency has, not positive, or too large.',
  oauth_error: 'An OAuth2 token-endpoint or resource-server error in the Spring Security OAuth2 shape.',
};
