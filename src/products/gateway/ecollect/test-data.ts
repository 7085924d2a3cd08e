import { DEFAULT_LIMITS, rupees, type ProductTestData } from '../../../rails/index.js';

/**
 * The sandbox collection bank of E-Collect virtual accounts (reference §2.11; ADR 0025). The
 * account numbers, IFSC and VPAs it issues are simulator values: they mean nothing to a real bank.
 * The gateway's e-collect product issues accounts with these, and its flow test checks each rule.
 */
export const ECOLLECT_ACCOUNT_PREFIX = '8800';
/** Digits after the prefix: 16-digit account numbers, inside the 9–18 digits every rail accepts. */
export const ECOLLECT_ACCOUNT_DIGITS = 12;
/** A fixture branch of the IFSC registry (Yes Bank, the bank-transfer rail's default remitter bank). */
export const ECOLLECT_IFSC = 'YESB0000001';
export const ECOLLECT_BANK_NAME = 'Yes Bank';
/** The VPA of a virtual account: `ecol.<accountNumber>@enkash`. */
export const ECOLLECT_VPA_HANDLE = 'enkash';

export const ecollectTestData: ProductTestData = {
  product: 'gateway_ecollect',
  title: 'Payment Gateway E-Collect (virtual accounts)',
  summary:
    'A virtual account (`POST /api/v0/virtual-account`) is issued at the sandbox collection bank. `POST /api/v0/sandbox/virtual-account/credit` simulates an inward NEFT, IMPS, RTGS or UPI credit to it: ' +
    'a matched credit is posted to the ledger and notified by webhook; a credit that breaks a rule is returned to the remitter (`REJECTED`, with its reason) and moves no money.',
  scenarios: [],
  defaultOutcome: 'a credit to an active account within its rules is CREDITED at once (NEFT included: the call stands for the arrival of its batch)',
  rules: [
    `Account numbers: \`${ECOLLECT_ACCOUNT_PREFIX}\` + ${ECOLLECT_ACCOUNT_DIGITS} digits; IFSC \`${ECOLLECT_IFSC}\` (${ECOLLECT_BANK_NAME}); VPA \`ecol.<accountNumber>@${ECOLLECT_VPA_HANDLE}\`.`,
    'A credit names the account by `accountNumber` (with `ifsc`, if sent, equal to the collection IFSC) or by `vpa`; an account the company does not have answers 404 `virtual_account_not_found` and records nothing.',
    'Rejections (status `REJECTED`, no ledger posting, no webhook): `account_closed`, `account_expired` (sandbox time at or after `closeBy`), `mode_not_allowed` (not in `allowedPaymentModes`), `amount_mismatch` (EXACT), `amount_below_minimum` / `amount_above_maximum` (RANGE), `remitter_not_allowed` (account and IFSC not in `allowedRemitters`), `mode_limit`.',
    `Mode limits (the bank-transfer rail's, same settings): IMPS up to ₹${rupees(DEFAULT_LIMITS.impsMaxPaise)}, UPI up to ₹${rupees(DEFAULT_LIMITS.upiMaxPaise)}, RTGS at least ₹${rupees(DEFAULT_LIMITS.rtgsMinPaise)}, every mode at least ₹1.00.`,
    'The UTR identifies the credit: the same UTR again answers the first credit (credited once); the same UTR with another account, amount or mode answers 409 `virtual_account_utr_reused`. Without `utr` the bank assigns one.',
  ],
  magicValues: [
    {
      kind: 'ifsc',
      value: ECOLLECT_IFSC,
      operation: 'virtual account credit',
      outcome: 'matched to the account number sent with it',
      description: 'The collection bank branch of every virtual account',
    },
    {
      kind: 'account number',
      value: `${ECOLLECT_ACCOUNT_PREFIX}000000000000`,
      operation: 'virtual account credit',
      outcome: '404 virtual_account_not_found (never issued)',
      description: 'Any account number the company was not issued',
    },
    {
      kind: 'vpa',
      value: `ecol.<accountNumber>@${ECOLLECT_VPA_HANDLE}`,
      operation: 'virtual account credit',
      outcome: 'matched to the account',
      description: "A UPI credit to the account's VPA",
    },
  ],
};
