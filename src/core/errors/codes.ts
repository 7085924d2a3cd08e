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
  idempotency_key_missing: 'The route requires an Idempotency-Key header and none was sent.',
  idempotency_key_invalid: 'The Idempotency-Key header is not 1 to 255 printable ASCII characters.',
  idempotency_key_reused: 'The Idempotency-Key was already used for a different request (method, path or body).',
  idempotency_request_in_progress: 'The first request with this Idempotency-Key is still being processed; retry after Retry-After.',
  invalid_amount: 'An amount is not money: not a number, more decimals than the currency has, not positive, or too large.',
  ledger_insufficient_funds: 'The movement would take the available balance of a ledger account that may not go negative below zero; nothing was written.',
  ledger_account_not_found: "No ledger account with this id in the caller's company.",
  ledger_transaction_not_found: "No ledger transaction with this id in the caller's company.",
  ledger_hold_not_found: "No ledger hold with this id in the caller's company.",
  ledger_duplicate_reference: 'The business event (code and reference) already has its ledger transaction or hold.',
  ledger_already_reversed: 'The ledger transaction has already been reversed.',
  ledger_hold_not_pending: 'The ledger hold is already captured or voided.',
  ledger_capture_exceeds_hold: 'The capture amount exceeds the amount held.',
  ledger_account_conflict: 'The ledger account exists with different rules or another owner.',
  ledger_invalid_query: 'A ledger read API query parameter is malformed.',
  oauth_error: 'An OAuth2 token-endpoint or resource-server error in the Spring Security OAuth2 shape.',
};
