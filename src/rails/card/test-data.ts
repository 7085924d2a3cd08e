import type { RailTestData } from '../test-data.js';

export type CardAuthentication = 'frictionless' | 'otp' | 'challenge';

export interface TestCard {
  number: string;
  authentication: CardAuthentication;
  /** The scenario the card stands for (parseScenario syntax). */
  scenario: string;
  outcome: string;
  description: string;
}

/** The OTP that succeeds for every card that asks for one; any other six digits fail. */
export const TEST_OTP = '123456';
export const OTP_MAX_ATTEMPTS = 3;
export const OTP_MAX_RESENDS = 3;
/** An OTP or 3-D Secure session lasts five minutes of sandbox time. */
export const AUTHENTICATION_TTL_MS = 5 * 60_000;

/**
 * The test cards. The first four are those of reference §2.12 (INFERRED there); the RuPay card
 * printed there, 6521 5555 5555 5555, fails the Luhn check that §2.12 itself requires, so the
 * sandbox uses 6521 5555 5555 5556 (docs/sandbox.md says so).
 */
export const TEST_CARDS: readonly TestCard[] = [
  {
    number: '4111111111111111',
    authentication: 'frictionless',
    scenario: 'succeed',
    outcome: 'succeeded',
    description: 'Visa credit (HDFC Bank), 3-D Secure frictionless',
  },
  {
    number: '5555555555554444',
    authentication: 'frictionless',
    scenario: 'succeed',
    outcome: 'succeeded',
    description: 'Mastercard credit (ICICI Bank), 3-D Secure frictionless',
  },
  {
    number: '6521555555555556',
    authentication: 'otp',
    scenario: 'succeed',
    outcome: 'otp required; after the OTP: succeeded',
    description: 'RuPay debit (State Bank of India), native OTP',
  },
  {
    number: '4000000000000002',
    authentication: 'frictionless',
    scenario: 'decline:card_declined',
    outcome: 'declined (card_declined)',
    description: 'Visa credit, declined by the issuer',
  },
  {
    number: '4000000000009995',
    authentication: 'frictionless',
    scenario: 'decline:insufficient_funds',
    outcome: 'declined (insufficient_funds)',
    description: 'Visa, insufficient funds',
  },
  {
    number: '4000000000000119',
    authentication: 'frictionless',
    scenario: 'fail:issuer_unavailable',
    outcome: 'failed (issuer_unavailable)',
    description: 'Visa, the issuer is unreachable',
  },
  {
    number: '4000000000003220',
    authentication: 'challenge',
    scenario: 'succeed',
    outcome: '3-D Secure challenge; after the challenge: succeeded',
    description: 'Visa, 3-D Secure challenge on the simulated ACS page',
  },
  {
    number: '6522000000000014',
    authentication: 'otp',
    scenario: 'decline:do_not_honour',
    outcome: 'otp required; after the OTP: declined (do_not_honour)',
    description: 'RuPay credit (Punjab National Bank), OTP, then declined',
  },
  {
    number: '5105105105105100',
    authentication: 'frictionless',
    scenario: 'timeout_then_succeed',
    outcome: 'no answer, then succeeded after PT2M',
    description: 'Mastercard debit (Kotak), times out, then the bank reports success',
  },
  { number: '4000000000000127', authentication: 'frictionless', scenario: 'timeout', outcome: 'no answer', description: 'Visa, the bank never answers' },
  {
    number: '4000000000000077',
    authentication: 'frictionless',
    scenario: 'succeed_after:PT10M',
    outcome: 'pending, then succeeded after PT10M',
    description: 'Visa, pending with the bank, success after ten minutes',
  },
  {
    number: '4000000000000259',
    authentication: 'frictionless',
    scenario: 'webhook_duplicate',
    outcome: 'succeeded, webhook delivered twice',
    description: 'Visa, success; the product delivers its webhook twice',
  },
  { number: '378282246310005', authentication: 'frictionless', scenario: 'succeed', outcome: 'succeeded', description: 'American Express credit, 4-digit CVV' },
  { number: '36227206271667', authentication: 'frictionless', scenario: 'succeed', outcome: 'succeeded', description: 'Diners Club credit (HDFC Bank)' },
  { number: '6071000000000001', authentication: 'frictionless', scenario: 'succeed', outcome: 'succeeded', description: 'RuPay prepaid (Bank of Baroda)' },
  { number: '4557010000000008', authentication: 'frictionless', scenario: 'succeed', outcome: 'succeeded', description: 'Visa corporate (Yes Bank)' },
  { number: '5222220000000005', authentication: 'frictionless', scenario: 'succeed', outcome: 'succeeded', description: 'Mastercard prepaid (IndusInd Bank)' },
];

export const cardTestData: RailTestData = {
  rail: 'card',
  title: 'Cards (credit, debit, prepaid, corporate)',
  summary:
    'Authorizes a card payment: Luhn, expiry and CVV checks, a BIN table, OTP or 3-D Secure authentication, then the outcome. ' +
    'The simulator never stores or logs the card number or CVV; it returns a card token, the BIN, the last four digits and the network.',
  scenarios: ['succeed', 'decline', 'fail', 'timeout', 'timeout_then_succeed', 'succeed_after', 'fail_after', 'pending', 'webhook_duplicate'],
  defaultOutcome: 'succeeded (3-D Secure frictionless), for any Luhn-valid card of a known network',
  rules: [
    'The card number is 12 to 19 digits and passes the Luhn check; otherwise `invalid_rail_input` (param `cardNumber`).',
    'Expiry is `MM/YY`; a card is valid through the last day of that month (IST, sandbox clock); an expired card is declined (`expired_card`).',
    'CVV is 3 digits, 4 for American Express; any value of that length is accepted (use `123`, or `1234` for Amex).',
    `OTP: \`${TEST_OTP}\` succeeds, any other value fails; ${OTP_MAX_ATTEMPTS} wrong OTPs decline the payment (\`otp_attempts_exceeded\`); at most ${OTP_MAX_RESENDS} resends; a session expires after PT5M (\`authentication_expired\`).`,
    'Authentication (OTP or 3-D Secure challenge) is a property of the card; a scenario on the request decides the outcome after authentication.',
    "On the hosted checkout's simulated 3-D Secure page (`/pay/bank/…`), `Authenticate (pass)` completes authentication and `Fail authentication` declines the payment (`authentication_failed`); the OTP page takes the OTP above and offers the resends.",
    'Networks outside the BIN table are recognised by IIN range: 4 Visa; 51–55 and 2221–2720 Mastercard; 60, 65, 81, 82, 508 RuPay; 34, 37 Amex; 36, 38, 39, 300–305 Diners.',
  ],
  magicValues: [
    ...TEST_CARDS.map((c) => ({ kind: 'card number', value: c.number, operation: 'authorize', outcome: c.outcome, description: c.description })),
    {
      kind: 'otp',
      value: TEST_OTP,
      operation: 'submitOtp',
      outcome: 'authentication succeeded',
      description: 'The OTP that succeeds; any other value is a wrong OTP',
    },
  ],
};
