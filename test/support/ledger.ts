import { withTransaction } from '../../src/core/db/transaction.js';
import type { Executor } from '../../src/core/db/engine.js';
import type { Ledger } from '../../src/core/ledger/index.js';

/**
 * Funds `account` (the merchant's available balance by default) from the sandbox funding account,
 * in its own transaction: the starting point of most ledger tests.
 */
export function sandboxFund(db: Executor, ledger: Ledger, companyId: string, amount: bigint, referenceId: string, account = 'merchant_available') {
  return withTransaction(db, (tx) =>
    ledger.post(tx, companyId, {
      code: 'sandbox_funding',
      referenceType: 'test',
      referenceId,
      postings: [
        { account: 'sandbox_funding', direction: 'debit', amount },
        { account, direction: 'credit', amount },
      ],
    }),
  );
}
