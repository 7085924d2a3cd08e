import type { RailTestData } from '../test-data.js';

export interface TestVpa {
  vpa: string;
  /** Null: the VPA does not exist. */
  name: string | null;
  /** The scenario of a payment (collect or intent) from this VPA. */
  scenario: string;
  outcome: string;
  description: string;
}

/** How long a collect or intent waits for the payer when the product names no expiry (EnKash `upiCollectTimeout`, 5 minutes). */
export const DEFAULT_UPI_EXPIRY_MS = 5 * 60_000;
/** The name a VPA outside the table verifies with. */
export const DEFAULT_PAYER_NAME = 'Sandbox Payer';

/** The test VPAs; the first three are those of reference §2.12 (INFERRED there). */
export const TEST_VPAS: readonly TestVpa[] = [
  {
    vpa: 'success@enkash',
    name: 'Tijori Success Payer',
    scenario: 'succeed',
    outcome: 'pending, then succeeded at once',
    description: 'The payer approves at once',
  },
  {
    vpa: 'failure@enkash',
    name: 'Tijori Failure Payer',
    scenario: 'decline:debit_failed',
    outcome: 'pending, then declined (debit_failed) at once',
    description: "The payer's bank declines the debit",
  },
  {
    vpa: 'pending@enkash',
    name: 'Tijori Pending Payer',
    scenario: 'pending',
    outcome: 'pending, then expired after PT5M',
    description: 'The payer never responds; the collect expires (PENDING_WITH_BANK, then timeout)',
  },
  {
    vpa: 'insufficient@enkash',
    name: 'Tijori Broke Payer',
    scenario: 'decline:insufficient_funds',
    outcome: 'pending, then declined (insufficient_funds) at once',
    description: "Insufficient funds in the payer's account",
  },
  {
    vpa: 'slow@enkash',
    name: 'Tijori Slow Payer',
    scenario: 'succeed_after:PT2M',
    outcome: 'pending, then succeeded after PT2M',
    description: 'The payer approves after two minutes',
  },
  {
    vpa: 'late@enkash',
    name: 'Tijori Late Payer',
    scenario: 'succeed_after:PT10M',
    outcome: 'pending, then expired after PT5M, then succeeded after PT10M',
    description: 'The collect expires, then a late success arrives (the product must reconcile it)',
  },
  { vpa: 'timeout@enkash', name: 'Tijori Timeout Payer', scenario: 'timeout', outcome: 'no answer', description: 'The UPI switch never answers the request' },
  { vpa: 'unknown@enkash', name: null, scenario: 'fail:invalid_vpa', outcome: 'failed (invalid_vpa)', description: 'The VPA does not exist' },
];

export interface TestMandateVpa {
  vpa: string;
  scenario: string;
  outcome: string;
  description: string;
}

/** Payers' answers to a mandate (UPI Autopay) approval request; any other existing VPA approves at once. */
export const TEST_MANDATE_VPAS: readonly TestMandateVpa[] = [
  { vpa: 'autopay.approve@enkash', scenario: 'succeed', outcome: 'pending, then approved at once', description: 'The payer approves the mandate' },
  {
    vpa: 'autopay.slow@enkash',
    scenario: 'succeed_after:PT10M',
    outcome: 'pending, then approved after PT10M',
    description: 'The payer approves after ten minutes',
  },
  {
    vpa: 'autopay.reject@enkash',
    scenario: 'decline:rejected_by_payer',
    outcome: 'pending, then rejected (rejected_by_payer) at once',
    description: 'The payer rejects the mandate',
  },
  { vpa: 'autopay.silent@enkash', scenario: 'pending', outcome: 'pending', description: "The payer never answers; the mandate's own expiry decides" },
];

export const upiTestData: RailTestData = {
  rail: 'upi',
  title: 'UPI (collect, intent, QR, mandates)',
  summary: "VPA verification, collect requests with an expiry, intent and QR payments (`upi://pay` links), and payers' answers to mandate approval requests.",
  scenarios: ['succeed', 'decline', 'fail', 'timeout', 'timeout_then_succeed', 'succeed_after', 'fail_after', 'pending', 'webhook_duplicate'],
  defaultOutcome: `any other valid VPA exists (name "${DEFAULT_PAYER_NAME}"); a payment from it succeeds at once; a mandate is approved at once`,
  rules: [
    'A VPA is `handle@psp`: 2–256 letters, digits, `.`, `-` or `_`, then a PSP handle starting with a letter; compared case-insensitively.',
    "A collect or intent answers `pending` at once (the request reached the payer's app); the payer's answer is reported through the outcome listener, at once or later.",
    "A collect or intent expires after its `expiresInMs` (default PT5M, EnKash's `upiCollectTimeout`) unless an outcome came first; an outcome after the expiry is still reported (a late success).",
    "A mandate approval request answers `pending`; `approved` or `rejected` follows through the outcome listener; with no answer the product's mandate expiry decides. It accepts the scenarios `succeed` (approve), `decline` (reject), `timeout`, `succeed_after`, `fail_after` (reject later) and `pending`.",
    "On the hosted checkout, a QR code or a UPI app button waits for its payer (scenario `pending`, until `upiCollectTimeout`): nobody pays it by itself. The page's sandbox panel \"Simulate the payer\" answers for the payer's app, `POST /pay/checkout/sandbox/upi-payer/{transactionId}` `{answer: PAY | DECLINE}` (PAY succeeds with an RRN, DECLINE is `debit_failed`); a request's own `X-Tijori-Scenario` still decides. A UPI ID (collect) follows the VPAs below, and the page polls until the payer answers.",
    "A UPI mandate debit (gateway UPI mandates) is a collect from the mandate's payer VPA, refused before it reaches the rail unless the cycle's pre-debit notification was sent at least 24 hours earlier, the cycle has no other debit, and the amount is within the mandate and ₹15,000 (NPCI's no-AFA limit).",
    '`upi://pay` links carry `pa`, `pn`, `mc` (4 digits), `tr` (≤ 35 characters), `tn` (≤ 50 characters), `am` (rupees, two decimals) and `cu=INR`, percent-encoded (NPCI UPI Linking Specification).',
    'A Payment Gateway UPI QR code is paid by a test payer with `POST /api/v0/sandbox/qr-code/{qrCodeId}/pay` `{payerVpa, amount}`: an intent from that VPA, so the VPAs below decide the outcome; an immediate answer is applied before the call answers, a later one (`slow@enkash`) when the clock reaches it (docs/api/gateway-upi-qr.md).',
  ],
  magicValues: [
    ...TEST_VPAS.map((v) => ({ kind: 'vpa', value: v.vpa, operation: 'collect', outcome: v.outcome, description: v.description })),
    { kind: 'vpa', value: 'success@enkash', operation: 'verifyVpa', outcome: 'exists (Tijori Success Payer)', description: "Verifies with the payer's name" },
    { kind: 'vpa', value: 'unknown@enkash', operation: 'verifyVpa', outcome: 'does not exist', description: 'Verification finds no such VPA' },
    ...TEST_MANDATE_VPAS.map((v) => ({ kind: 'vpa', value: v.vpa, operation: 'requestMandateApproval', outcome: v.outcome, description: v.description })),
  ],
};
