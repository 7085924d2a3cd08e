import { defineError } from '../core/errors/app-error.js';

/** The `X-Tijori-Scenario` header does not follow the scenario grammar (docs/sandbox.md). */
export const InvalidScenarioError = defineError('invalid_request', 400, 'invalid_scenario');
/** The scenario is well formed but the rail (or the operation) has no such behaviour. */
export const ScenarioNotSupportedError = defineError('invalid_request', 400, 'scenario_not_supported');
/**
 * A value handed to a rail is malformed (card number, expiry, VPA, IFSC, PAN, GSTIN, bank code…).
 * Products validate their wire schemas first; this is the rail's own check, named by `param`.
 */
export const RailInputError = defineError('invalid_request', 400, 'invalid_rail_input');
/** The card authentication (OTP / 3-D Secure session) is unknown to this company. */
export const CardAuthenticationNotFoundError = defineError('not_found', 404, 'card_authentication_not_found');
/** The card authentication already ended (succeeded, failed or expired); it cannot be answered again. */
export const CardAuthenticationCompletedError = defineError('conflict', 409, 'card_authentication_completed');

/** The codes of this module's errors and what each means: its part of the error catalogue (src/error-catalogue.ts, docs/errors.md). */
export const railsErrorCodes: Record<string, string> = {
  invalid_scenario: 'The X-Tijori-Scenario header does not follow the scenario grammar; the message names the scenario.',
  scenario_not_supported: 'The named scenario is well formed but the rail behind this request does not support it.',
  invalid_rail_input:
    'A value handed to a simulated rail is malformed (card number, expiry, CVV, VPA, IFSC, PAN, GSTIN, bank code); the message names the field.',
  card_authentication_not_found: 'No OTP or 3-D Secure session with this id for this company.',
  card_authentication_completed: 'The OTP or 3-D Secure session already ended (succeeded, failed or expired).',
};
