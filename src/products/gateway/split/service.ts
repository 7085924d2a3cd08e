import type { SandboxClock } from '../../../core/jobs/types.js';
import type { Executor } from '../../../core/db/engine.js';
import { uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import { InvalidSplitDetailsError, SplitAccountExistsError, SplitAccountNotFoundError, SplitNotEditableError, SplitPaymentNotFoundError } from './errors.js';
import {
  fromStoredSplit,
  gatewayId,
  parseSplitDetails,
  splitShapeProblem,
  toStoredSplit,
  type SplitAccount,
  type SplitAccountStatus,
  type SplitShare,
} from './model.js';
import * as repo from './repository.js';

export interface SplitAccountInput {
  name: string;
  accountNumber: string;
  ifsc: string;
  email?: string | undefined;
  mobile?: string | undefined;
}

/** `splitDetails[]` as it arrives on the wire (reference §2.7): amounts in rupees, number or string. */
export interface SplitDetailInput {
  accountId: string;
  amount: number | string;
}

export interface EditOrDeferInput {
  transactionId: string;
  splitDetails?: SplitDetailInput[] | undefined;
  defer?: boolean | undefined;
}

export interface EditOrDeferResult {
  transactionId: string;
  amountPaise: bigint;
  shares: SplitShare[];
  deferred: boolean;
}

export type SplitService = ReturnType<typeof createSplitService>;

export function createSplitService(deps: { db: Executor; clock: SandboxClock }) {
  const { db, clock } = deps;

  async function loadOrThrow(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<SplitAccount> {
    const account = await repo.findAccount(exec, companyId, id, forUpdate);
    if (!account) throw new SplitAccountNotFoundError('Split settlement account not found', { param: 'accountId' });
    return account;
  }

  function duplicate(err: unknown): never {
    if (uniqueViolation(err) === 'uq_gateway_split_accounts_company_bank_account') {
      throw new SplitAccountExistsError('A split settlement account with this account number and IFSC already exists', { param: 'accountNumber', cause: err });
    }
    throw err;
  }

  /**
   * Parses and checks split details against a payment amount: positive rupee shares with at most
   * two decimals, each account once, active and the company's, adding up to at most the amount.
   * Payment submission (G2) calls this in its transaction and stores `toStoredSplit(shares)`.
   * @throws invalid_split_details, invalid_amount
   */
  async function validateSplitDetails(exec: Executor, companyId: string, details: readonly SplitDetailInput[], amountPaise: bigint): Promise<SplitShare[]> {
    const shares = parseSplitDetails(details);
    const problem = splitShapeProblem(shares, amountPaise);
    if (problem) throw new InvalidSplitDetailsError(problem, { param: 'splitDetails' });
    const accounts = new Map(
      (
        await repo.findAccounts(
          exec,
          companyId,
          shares.map((s) => s.accountId),
        )
      ).map((a) => [a.id, a]),
    );
    for (const [i, share] of shares.entries()) {
      const account = accounts.get(share.accountId);
      if (!account)
        throw new InvalidSplitDetailsError(`splitDetails[${i}].accountId ${share.accountId} is not a split settlement account of this company`, {
          param: 'splitDetails',
        });
      if (account.status !== 'ACTIVE')
        throw new InvalidSplitDetailsError(`splitDetails[${i}].accountId ${share.accountId} is inactive`, { param: 'splitDetails' });
    }
    return shares;
  }

  async function setStatus(companyId: string, id: string, status: SplitAccountStatus): Promise<SplitAccount> {
    return withTransaction(db, async (tx) => {
      const account = await loadOrThrow(tx, companyId, id, true);
      // Activating an active account (or the reverse) is a no-op, so a retried PATCH answers the same.
      if (account.status === status) return account;
      return (await repo.updateAccount(tx, companyId, id, { status, updatedAt: await clock.now(companyId, tx) }))!;
    });
  }

  return {
    validateSplitDetails,

    async createAccount(companyId: string, input: SplitAccountInput): Promise<SplitAccount> {
      return withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const account: SplitAccount = {
          id: gatewayId('SPA', now),
          companyId,
          name: input.name,
          accountNumber: input.accountNumber,
          ifsc: input.ifsc,
          email: input.email ?? null,
          mobile: input.mobile ?? null,
          status: 'ACTIVE',
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertAccount(tx, account).catch(duplicate);
        return account;
      });
    },

    async updateAccount(companyId: string, id: string, input: Partial<SplitAccountInput>): Promise<SplitAccount> {
      return withTransaction(db, async (tx) => {
        await loadOrThrow(tx, companyId, id, true);
        const set: Partial<SplitAccount> = { updatedAt: await clock.now(companyId, tx) };
        if (input.name !== undefined) set.name = input.name;
        if (input.accountNumber !== undefined) set.accountNumber = input.accountNumber;
        if (input.ifsc !== undefined) set.ifsc = input.ifsc;
        if (input.email !== undefined) set.email = input.email;
        if (input.mobile !== undefined) set.mobile = input.mobile;
        return (await repo.updateAccount(tx, companyId, id, set).catch(duplicate))!;
      });
    },

    getAccount: (companyId: string, id: string) => loadOrThrow(db, companyId, id),
    listAccounts: (companyId: string, status: SplitAccountStatus | undefined, page: PageRequest) => repo.listAccounts(db, companyId, status, page),
    activate: (companyId: string, id: string) => setStatus(companyId, id, 'ACTIVE'),
    deactivate: (companyId: string, id: string) => setStatus(companyId, id, 'INACTIVE'),

    /**
     * "Edit Or Deferred Split Settlement" (§2.7): before a successful payment is settled, replace
     * its split details and/or defer its settlement (`defer: false` lifts the deferral). The
     * payment row is locked, so a settlement run either sees the old split or the new one.
     * @throws split_payment_not_found, split_not_editable, invalid_split_details
     */
    async editOrDefer(companyId: string, input: EditOrDeferInput): Promise<EditOrDeferResult> {
      return withTransaction(db, async (tx) => {
        const payment = await repo.lockPayment(tx, companyId, input.transactionId);
        if (!payment) throw new SplitPaymentNotFoundError('Payment not found', { param: 'transactionId' });
        if (!['SUCCESS', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(payment.status) || payment.settlementId !== null) {
          throw new SplitNotEditableError(
            `Payment ${payment.id} is ${payment.settlementId ? 'already settled' : payment.status}: its split can no longer be changed`,
            { param: 'transactionId' },
          );
        }
        let shares = fromStoredSplit(payment.splitDetails);
        if (input.splitDetails !== undefined) {
          shares = await validateSplitDetails(tx, companyId, input.splitDetails, payment.amountPaise);
          await repo.setPaymentSplit(tx, companyId, payment.id, shares.length > 0 ? toStoredSplit(shares) : null);
        }
        if (input.defer !== undefined) await repo.setDeferred(tx, companyId, payment.id, input.defer, await clock.now(companyId, tx));
        return { transactionId: payment.id, amountPaise: payment.amountPaise, shares, deferred: await repo.isDeferred(tx, companyId, payment.id) };
      });
    },
  };
}
