import { AppError } from '../../src/core/errors/app-error.js';
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

/** The stable code of the AppError `fn` throws (fails when it throws nothing or something else). */
export async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('no error');
}
