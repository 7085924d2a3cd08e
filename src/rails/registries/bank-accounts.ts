/**
 * The sandbox's bank-account holders (issue 20 part 5): the name a bank answers for an account,
 * and the state that decides a penny drop. The account numbers are the bank-transfer rail's test
 * beneficiaries (100000000001…), whose transfer outcomes they agree with, plus a frozen and an NRE
 * account. Any other account is ACTIVE, held by "SANDBOX ACCOUNT HOLDER".
 */
export type BankAccountStatus = 'ACTIVE' | 'INVALID' | 'CLOSED' | 'FROZEN' | 'NRE';

export interface BankAccountEntity {
  accountNumber: string;
  status: BankAccountStatus;
  /** Null for an account that does not exist. */
  nameAtBank: string | null;
  description: string;
  outcome: string;
}

export const BANK_ACCOUNT_FIXTURES: readonly BankAccountEntity[] = [
  { accountNumber: '100000000001', status: 'ACTIVE', nameAtBank: 'ASHA ZAVERI', description: 'Active; a credit succeeds', outcome: 'ACTIVE (ASHA ZAVERI)' },
  { accountNumber: '100000000002', status: 'INVALID', nameAtBank: null, description: 'No such account; a credit fails (invalid_account)', outcome: 'INVALID' },
  {
    accountNumber: '100000000006',
    status: 'CLOSED',
    nameAtBank: 'DEEPA DESAI',
    description: 'Closed; a credit fails (account_closed)',
    outcome: 'CLOSED (DEEPA DESAI)',
  },
  {
    accountNumber: '100000000009',
    status: 'ACTIVE',
    nameAtBank: 'RAVI KUMAR SHARMA',
    description: 'Active; the bank does not answer at first, the credit succeeds after PT2M',
    outcome: 'ACTIVE (RAVI KUMAR SHARMA)',
  },
  {
    accountNumber: '100000000010',
    status: 'FROZEN',
    nameAtBank: 'IMRAN INAMDAR',
    description: 'Frozen by the bank (debit and credit freeze); a credit fails (account_frozen)',
    outcome: 'FROZEN (IMRAN INAMDAR)',
  },
  {
    accountNumber: '100000000011',
    status: 'NRE',
    nameAtBank: 'VIKRAM VERMA',
    description: 'A Non-Resident External account: no IMPS credit from a resident payer; a credit fails (nre_account)',
    outcome: 'NRE (VIKRAM VERMA)',
  },
];

export interface BankAccountRecord {
  accountNumber: string;
  status: BankAccountStatus;
  nameAtBank: string | null;
}

/** The holder of an account as the sandbox's banks know it. */
export function bankAccountHolder(accountNumber: string): BankAccountRecord {
  const f = BANK_ACCOUNT_FIXTURES.find((a) => a.accountNumber === accountNumber);
  return f ? { accountNumber, status: f.status, nameAtBank: f.nameAtBank } : { accountNumber, status: 'ACTIVE', nameAtBank: 'SANDBOX ACCOUNT HOLDER' };
}
