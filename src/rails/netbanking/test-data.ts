import type { Provider } from '../provider-rail.js';
import { PROVIDER_SCENARIOS } from '../provider-rail.js';
import type { RailTestData } from '../test-data.js';

const ok = (code: string, name: string): Provider => ({ code, name, scenario: 'succeed', outcome: 'succeeded', description: name });

/** Netbanking banks by EnKash `bankCode` (the bank's IFSC prefix), plus the two codes of reference §2.12. */
export const NETBANKING_BANKS: readonly Provider[] = [
  ok('HDFC', 'HDFC Bank'),
  ok('ICIC', 'ICICI Bank'),
  ok('SBIN', 'State Bank of India'),
  ok('UTIB', 'Axis Bank'),
  ok('KKBK', 'Kotak Mahindra Bank'),
  ok('YESB', 'Yes Bank'),
  ok('INDB', 'IndusInd Bank'),
  ok('IDFB', 'IDFC First Bank'),
  ok('CNRB', 'Canara Bank'),
  ok('UBIN', 'Union Bank of India'),
  ok('FDRL', 'Federal Bank'),
  {
    code: 'PUNB',
    name: 'Punjab National Bank',
    scenario: 'fail:bank_unavailable',
    outcome: 'failed (bank_unavailable)',
    description: 'Punjab National Bank: the bank is down',
  },
  {
    code: 'BARB',
    name: 'Bank of Baroda',
    scenario: 'succeed_after:PT3M',
    outcome: 'pending, then succeeded after PT3M',
    description: 'Bank of Baroda: the bank is slow; success after three minutes',
  },
  { code: 'TEST_SUCCESS', name: 'Tijori Test Bank (success)', scenario: 'succeed', outcome: 'succeeded', description: 'Always succeeds (reference §2.12)' },
  {
    code: 'TEST_FAILURE',
    name: 'Tijori Test Bank (failure)',
    scenario: 'decline:payment_declined',
    outcome: 'declined (payment_declined)',
    description: 'Always declined (reference §2.12)',
  },
];

export const netbankingTestData: RailTestData = {
  rail: 'netbanking',
  title: 'Netbanking',
  summary: "The customer pays on the bank's (simulated) page; the bank code decides the outcome.",
  scenarios: PROVIDER_SCENARIOS,
  defaultOutcome: 'every listed bank not named below succeeds at once; an unlisted bank code is refused (`invalid_rail_input`, param `bankCode`)',
  rules: [
    "Bank codes are the banks' IFSC prefixes, as EnKash's `bankCode` and `netBankingList[].code`.",
    'On the hosted checkout, the simulated bank page (`/pay/bank/…`) accepts any user id and password; `Confirm payment` sends the payment to the bank (its code decides the outcome), `Cancel` cancels the transaction.',
  ],
  magicValues: NETBANKING_BANKS.filter((b) => b.scenario !== 'succeed' || b.code.startsWith('TEST_')).map((b) => ({
    kind: 'bank code',
    value: b.code,
    operation: 'pay',
    outcome: b.outcome,
    description: b.description,
  })),
};
