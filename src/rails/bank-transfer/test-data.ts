import type { RailTestData } from '../test-data.js';
import { DEFAULT_LIMITS, rupees } from './rules.js';

export interface TestBeneficiary {
  kind: 'account number' | 'vpa';
  value: string;
  scenario: string;
  outcome: string;
  description: string;
}

/**
 * Beneficiary accounts (any listed bank's IFSC, e.g. HDFC0000001) and VPAs (UPI mode) whose
 * transfers follow a scenario. The outcome lines are those of an IMPS (or UPI) transfer; NEFT moves
 * every outcome to a batch instant.
 */
export const TEST_BENEFICIARIES: readonly TestBeneficiary[] = [
  { kind: 'account number', value: '100000000001', scenario: 'succeed', outcome: 'succeeded', description: 'Credited; the UTR is returned' },
  {
    kind: 'account number',
    value: '100000000002',
    scenario: 'fail:invalid_account',
    outcome: 'failed (invalid_account)',
    description: 'No such account; the money is returned',
  },
  {
    kind: 'account number',
    value: '100000000003',
    scenario: 'reverse_after:P1D',
    outcome: 'succeeded, then reversed (returned_by_beneficiary_bank) after P1D',
    description: 'Credited, then returned by the beneficiary bank a day later',
  },
  {
    kind: 'account number',
    value: '100000000004',
    scenario: 'succeed_after:PT30M',
    outcome: 'pending, then succeeded after PT30M',
    description: 'Pending with the beneficiary bank, then credited',
  },
  {
    kind: 'account number',
    value: '100000000005',
    scenario: 'fail_after:PT1H',
    outcome: 'pending, then failed (beneficiary_bank_unavailable) after PT1H',
    description: 'Pending, then failed; the money is returned',
  },
  {
    kind: 'account number',
    value: '100000000006',
    scenario: 'fail:account_closed',
    outcome: 'failed (account_closed)',
    description: 'The account is closed; the money is returned',
  },
  {
    kind: 'account number',
    value: '100000000007',
    scenario: 'timeout',
    outcome: 'no answer',
    description: "The bank never answers; the product's timeout decides (status enquiry)",
  },
  {
    kind: 'account number',
    value: '100000000008',
    scenario: 'webhook_duplicate',
    outcome: 'succeeded, webhook delivered twice',
    description: 'Credited; the product delivers its webhook twice',
  },
  {
    kind: 'account number',
    value: '100000000009',
    scenario: 'timeout_then_succeed',
    outcome: 'no answer, then succeeded after PT2M',
    description: 'No answer, then the bank reports the credit',
  },
  { kind: 'vpa', value: 'success@enkash', scenario: 'succeed', outcome: 'succeeded', description: 'UPI payout credited' },
  {
    kind: 'vpa',
    value: 'failure@enkash',
    scenario: 'fail:credit_failed',
    outcome: 'failed (credit_failed)',
    description: 'UPI payout failed; the money is returned',
  },
  {
    kind: 'vpa',
    value: 'pending@enkash',
    scenario: 'succeed_after:PT30M',
    outcome: 'pending, then succeeded after PT30M',
    description: 'UPI payout pending, then credited',
  },
  {
    kind: 'vpa',
    value: 'reversal@enkash',
    scenario: 'reverse_after:P1D',
    outcome: 'succeeded, then reversed (returned_by_beneficiary_bank) after P1D',
    description: 'UPI payout credited, then reversed',
  },
  { kind: 'vpa', value: 'unknown@enkash', scenario: 'fail:invalid_vpa', outcome: 'failed (invalid_vpa)', description: 'No such VPA; the money is returned' },
];

export const bankTransferTestData: RailTestData = {
  rail: 'bank_transfer',
  title: 'Bank transfers (IMPS, NEFT, RTGS, UPI payouts)',
  summary:
    "Sends money to a beneficiary account (IFSC + account number) or VPA. Validation failures answer `rejected` with EnKash's reject code; " +
    'an accepted transfer gets a UTR at once and succeeds, fails (money returned), stays pending, or is reversed later.',
  scenarios: ['succeed', 'decline', 'fail', 'timeout', 'timeout_then_succeed', 'succeed_after', 'fail_after', 'pending', 'reverse_after', 'webhook_duplicate'],
  defaultOutcome: 'succeeded (IMPS, RTGS, UPI: at once; NEFT: at the next batch)',
  rules: [
    `IMPS: up to ₹${rupees(DEFAULT_LIMITS.impsMaxPaise)} per transfer, at any hour; settles at once.`,
    `UPI: up to ₹${rupees(DEFAULT_LIMITS.upiMaxPaise)} per transfer, at any hour; the beneficiary is a VPA; settles at once.`,
    `RTGS: at least ₹${rupees(DEFAULT_LIMITS.rtgsMinPaise)}, no upper limit, at any hour; settles at once.`,
    'NEFT: no limit; settles in half-hourly batches (:00 and :30, every day): the transfer is `pending`, and its outcome happens at the first batch strictly after submission. Every later outcome (reversal, delayed success or failure) also happens at a batch instant.',
    'These are the defaults; a deployment may change them with `TIJORI_IMPS_MAX_RUPEES`, `TIJORI_UPI_TRANSFER_MAX_RUPEES` and `TIJORI_RTGS_MIN_RUPEES`.',
    "Rejections (nothing is sent, no UTR): amount outside the mode's limits or below ₹1.00 `REJECT_TRF_AMT`; a VPA with a bank mode or an account with UPI `REJECT_TRF_MODE`; an account number that is not 9–18 digits, or a malformed VPA, `REJECT_BENEF_ACC`; a malformed IFSC, an unknown bank or a branch that does not exist `REJECT_BENEF_IFSC`.",
    "UTR: NEFT 16 characters (`YESBN6331` + 7 digits), RTGS 22 (`YESBRC20261127` + 8 digits), IMPS/UPI the 12-digit RRN; the bank code is the remitter's (option `remitterBankCode`, default `YESB`).",
    '`decline` is reported as `failed` (banks return transfers, they do not decline them); `failed` and `reversed` outcomes carry `fundsReturned: true`.',
  ],
  magicValues: TEST_BENEFICIARIES.map((b) => ({ kind: b.kind, value: b.value, operation: 'transfer', outcome: b.outcome, description: b.description })),
};
