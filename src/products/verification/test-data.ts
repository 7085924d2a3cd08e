import type { ProductTestData } from '../../rails/index.js';
import { PENDING_RETRY_SECONDS } from './model.js';
import { UPI_HANDLES } from './vpa.js';

/**
 * What the sandbox documents about the verification suite (docs/api/verification.md): the
 * Aadhaar numbers to try, the name-matching examples, and how a registry's scenarios end a check.
 * The PAN, GSTIN, CIN and LLPIN values are the registries' (rail `registries`).
 */
export const verificationTestData: ProductTestData = {
  product: 'verification',
  title: 'Verification suite (PAN, GSTIN, Aadhaar, CIN, LLPIN, VPA, IFSC, name match)',
  summary:
    'Each check is a `POST /api/v0/verification/<check>` with a `referenceId`, `consent` "Y" and a `purpose`. The PAN, GSTIN, CIN and LLPIN values of the registries rail decide the answer; an Aadhaar number is checked for its format and Verhoeff digit only.',
  scenarios: ['succeed', 'fail', 'timeout'],
  defaultOutcome:
    'a PAN or GSTIN not in the fixtures answers VALID (the registries rail\'s default holder "SANDBOX PAN HOLDER" / "SANDBOX TAXPAYER"); a well-formed CIN or LLPIN not in the fixtures answers NOT_FOUND; any Aadhaar number with a valid check digit answers VALID',
  rules: [
    'Bad input (format, holder type, state code, check character, Verhoeff digit, a CIN year in the future) is refused with 400 `invalid_rail_input` before any lookup; nothing is recorded.',
    'VALID: on record and in force; INVALID: on record but cancelled, suspended, deleted, deactivated, inoperative or struck off; NOT_FOUND; FAILED: the registry was unavailable.',
    `Scenario \`fail\`: FAILED. Scenario \`timeout\`: PENDING, then after ${PENDING_RETRY_SECONDS} s of sandbox time the check ends as without a scenario and a \`VERIFICATION_COMPLETED\` webhook is sent.`,
    'A repeated `referenceId` with the same check and input replays the first answer; with another check or input it is refused with 409.',
    'An Aadhaar number is never stored or answered in full: only `XXXX XXXX 1234` and a keyed hash are kept.',
    `VPA (\`POST /api/v0/verification/vpa\`): the holder's name is the UPI rail's, as the gateway's Verify UPI VPA answers it (the rail's test VPAs; any other VPA "Sandbox Payer"); \`unknown@enkash\` is NOT_FOUND; scenario \`fail\` is FAILED. A VPA at a handle outside the sandbox's list is refused (400): ${Object.keys(
      UPI_HANDLES,
    )
      .map((h) => `\`@${h}\``)
      .join(', ')}.`,
    "Reverse penny drop (`POST /api/v0/verification/bank-account/reverse`): a ₹1.00 UPI collect from `payerVpa` on the gateway; the UPI test VPAs decide (success@enkash pays at once, slow@enkash after PT2M, failure@enkash declines, pending@enkash lets it expire after PT5M: FAILED). Paid: VALID, the rupee refunded at once, the payer's account `100000000001` at `HDFC0000001` (success@enkash), `100000000009` at `ICIC0000001` (slow@enkash), else `500100012345` at `SBIN0000001`, answered masked.",
    "IFSC (`GET /api/v0/verification/ifsc/{ifsc}`, not recorded as a check): VALID when in RBI's directory (the `ifsc` package, its version named in `dataVersion`) or a fixture branch of the registries rail; any other well-formed code NOT_FOUND, even at a listed sandbox bank whose payouts the rail accepts; lower case refused (400).",
  ],
  magicValues: [
    { kind: 'aadhaar', value: '234123412346', operation: 'verify aadhaar', outcome: 'VALID (XXXX XXXX 2346)', description: 'A valid Verhoeff check digit' },
    {
      kind: 'aadhaar',
      value: '234123412347',
      operation: 'verify aadhaar',
      outcome: '400 invalid_rail_input (the check digit does not match)',
      description: 'The same with a wrong check digit',
    },
    {
      kind: 'aadhaar',
      value: '123412341234',
      operation: 'verify aadhaar',
      outcome: '400 invalid_rail_input (starts with 1)',
      description: 'Aadhaar numbers never start with 0 or 1',
    },
    { kind: 'vpa', value: 'success@enkash', operation: 'verify vpa', outcome: 'VALID (Tijori Success Payer)', description: 'A test VPA of the UPI rail' },
    { kind: 'vpa', value: 'asha.zaveri@okhdfcbank', operation: 'verify vpa', outcome: 'VALID (Sandbox Payer)', description: 'Any other VPA at a known handle' },
    { kind: 'vpa', value: 'unknown@enkash', operation: 'verify vpa', outcome: 'NOT_FOUND', description: 'The VPA the UPI rail does not know' },
    {
      kind: 'vpa',
      value: 'asha@nosuchpsp',
      operation: 'verify vpa',
      outcome: '400 invalid_rail_input (unknown UPI handle)',
      description: 'A handle outside the list',
    },
    {
      kind: 'ifsc',
      value: 'SBIN0000001',
      operation: 'lookup ifsc',
      outcome: 'VALID (State Bank of India, Kolkata Main; IMPS, NEFT, RTGS)',
      description: "In RBI's directory and a fixture branch",
    },
    {
      kind: 'ifsc',
      value: 'ABHY0065001',
      operation: 'lookup ifsc',
      outcome: 'VALID (Abhyudaya Co-operative Bank; branch unknown)',
      description: "In RBI's directory only",
    },
    {
      kind: 'ifsc',
      value: 'KKBK0001234',
      operation: 'lookup ifsc',
      outcome: 'NOT_FOUND',
      description: "Not in RBI's directory (the registries rail still accepts it for payouts)",
    },
    {
      kind: 'name pair',
      value: 'Mr. R K Sharma / Ravi Kumar Sharma',
      operation: 'name match',
      outcome: 'MATCH (93)',
      description: 'Honorific dropped, initials matched to words',
    },
    { kind: 'name pair', value: 'Ravi Sharma / Ravi Kumar Sharma', operation: 'name match', outcome: 'PARTIAL (67)', description: 'A middle name missing' },
    { kind: 'name pair', value: 'Asha Zaveri / Imran Inamdar', operation: 'name match', outcome: 'NO_MATCH (0)', description: 'Two different people' },
  ],
};
