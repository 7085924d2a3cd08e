import { SandboxOnlyError } from '../../core/clock/errors.js';
import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import { parseRupees } from '../../core/money/index.js';
import { generateUtr } from '../../rails/bank-transfer/index.js';
import type { Complete, PayoutKit, PayoutsDeps } from './context.js';
import { PayoutAccountInvalidError, PayoutDateRangeError } from './errors.js';
import { ACCOUNT_NUMBER_PATTERN, BENEFICIARY_IFSC_PATTERN, NAME_PATTERN, REMARK_PATTERN, fundSourceIdOf, type FundLoad, type SourceAccount } from './model.js';
import * as repo from './repository.js';

// The payout account (reference §3 "Bank Details"): source bank accounts, the float's balance,
// sandbox fund loads and the statement.

/** A statement spans at most this many days (INFERRED). */
export const MAX_STATEMENT_DAYS = 31;

export interface PayoutBalance {
  fundSourceId: string;
  /** What payouts may use now: posted minus held. */
  available: bigint;
  /** Posted balance of the float. */
  ledger: bigint;
  /** Held by payouts sent and not yet confirmed. */
  held: bigint;
  asOn: Date;
}

export interface StatementEntry {
  ledgerTransactionId: string;
  transactionDate: Date;
  type: 'CREDIT' | 'DEBIT';
  amountPaise: bigint;
  balancePaise: bigint;
  code: string;
  referenceType: string;
  referenceId: string;
  narration: string;
}

export interface Statement {
  fromDate: string;
  toDate: string;
  openingBalancePaise: bigint;
  closingBalancePaise: bigint;
  entries: StatementEntry[];
  total: number;
}

const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC instant at which an IST calendar day (yyyy-MM-dd) starts. */
function istDayStart(date: string, param: string): Date {
  const at = DATE_PATTERN.test(date) ? new Date(`${date}T00:00:00.000Z`) : new Date(NaN);
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date) {
    throw new PayoutDateRangeError(`Invalid field ${param}: must be a date yyyy-MM-dd`, { param });
  }
  return new Date(at.getTime() - IST_OFFSET_MS);
}

export interface AddFundsInput {
  amount: number;
  sourceAccountNumber?: string | undefined;
  reference?: string | undefined;
}

export function createAccountService({ deps, kit }: { deps: PayoutsDeps; kit: PayoutKit }) {
  const { db, ledger, clocks, registries, identity } = deps;

  /** The checks of an add-funds that need no transaction; the amount in paise. */
  async function checkFundLoad(companyId: string, input: AddFundsInput): Promise<bigint> {
    if ((await identity.isSandboxCompany(companyId)) !== true) {
      throw new SandboxOnlyError('Adding funds is simulated only for sandbox companies; live companies transfer to their virtual account', {
        param: 'companyId',
      });
    }
    const amountPaise = parseRupees(input.amount, { field: 'amount' });
    if (input.reference !== undefined && !REMARK_PATTERN.test(input.reference))
      throw new PayoutAccountInvalidError('reference must be 1 to 50 letters, digits, spaces or . , - /', { param: 'reference' });
    return amountPaise;
  }

  async function loadFunds(tx: Executor, companyId: string, input: AddFundsInput, amountPaise: bigint): Promise<{ load: FundLoad; balance: PayoutBalance }> {
    if (input.sourceAccountNumber !== undefined && !(await repo.findSourceAccount(tx, companyId, input.sourceAccountNumber))) {
      throw new PayoutAccountInvalidError('sourceAccountNumber is not a registered source bank account', { param: 'sourceAccountNumber' });
    }
    const now = await clocks.now(companyId, tx);
    const id = newId('pfl');
    const transaction = await ledger.post(tx, companyId, {
      code: 'sandbox_funding',
      referenceType: 'payout_fund_load',
      referenceId: id,
      description: 'Funds added to the payout account (sandbox inward credit)',
      postings: [
        { account: 'sandbox_funding', direction: 'debit', amount: amountPaise },
        { account: 'payout_float', direction: 'credit', amount: amountPaise },
      ],
    });
    const load: FundLoad = {
      id,
      companyId,
      amountPaise,
      sourceAccountNumber: input.sourceAccountNumber ?? null,
      utr: generateUtr('IMPS', now, 'YESB'),
      reference: input.reference ?? null,
      ledgerTransactionId: transaction.id,
      createdAt: now,
    };
    await repo.insertFundLoad(tx, load);
    const b = (await kit.floatBalance({ exec: tx, companyId }))!;
    return { load, balance: { fundSourceId: fundSourceIdOf(companyId), available: b.available, ledger: b.posted, held: b.pending, asOn: now } };
  }

  return {
    async sourceAccounts(companyId: string): Promise<SourceAccount[]> {
      return repo.listSourceAccounts(db, companyId);
    },

    /** "Add Source Bank Account". Throws payout_account_invalid, payout_source_account_exists. */
    async addSourceAccount(companyId: string, input: { accountNumber: string; ifsc: string; accountHolderName: string }): Promise<SourceAccount> {
      if (!ACCOUNT_NUMBER_PATTERN.test(input.accountNumber))
        throw new PayoutAccountInvalidError('Please provide a valid accountNumber (9 to 18 digits)', { param: 'accountNumber' });
      const ifsc = input.ifsc.toUpperCase();
      if (!BENEFICIARY_IFSC_PATTERN.test(ifsc)) throw new PayoutAccountInvalidError('Please provide a valid ifsc', { param: 'ifsc' });
      if (!NAME_PATTERN.test(input.accountHolderName))
        throw new PayoutAccountInvalidError('Please provide a valid accountHolderName (letters and spaces, at most 100)', { param: 'accountHolderName' });
      const branch = await registries.lookupIfsc(ifsc);
      if (branch.outcome !== 'found') throw new PayoutAccountInvalidError(`No bank branch has the IFSC ${ifsc}`, { param: 'ifsc' });
      return withTransaction(db, async (tx) => {
        const account: SourceAccount = {
          id: newId('psa'),
          companyId,
          accountNumber: input.accountNumber,
          ifsc,
          accountHolderName: input.accountHolderName,
          bankName: branch.record.bank,
          createdAt: await clocks.now(companyId, tx),
        };
        await repo.insertSourceAccount(tx, account);
        return account;
      });
    },

    async balance(companyId: string): Promise<PayoutBalance> {
      const b = await kit.floatBalance({ exec: db, companyId });
      return {
        fundSourceId: fundSourceIdOf(companyId),
        available: b?.available ?? 0n,
        ledger: b?.posted ?? 0n,
        held: b?.pending ?? 0n,
        asOn: await clocks.now(companyId),
      };
    },

    /**
     * "Add Funds to EnKash" in the sandbox: a simulated inward IMPS credit from the company's bank
     * to its payout float, credited at once (one balanced transaction from `sandbox_funding`). Live
     * companies load their float by a real transfer to their virtual account: 403 sandbox_only.
     */
    async addFunds(
      companyId: string,
      input: AddFundsInput,
      complete: Complete<{ load: FundLoad; balance: PayoutBalance }>,
    ): Promise<{ load: FundLoad; balance: PayoutBalance }> {
      const amountPaise = await checkFundLoad(companyId, input);
      return withTransaction(db, async (tx) => {
        const result = await loadFunds(tx, companyId, input, amountPaise);
        await complete(tx, result);
        return result;
      });
    },

    /**
     * The add-funds of a company that never had funds added (the sandbox seed's opening balance);
     * false, and nothing written, when it had. The check and the write run under a per-company
     * advisory lock, so two starts seeding one PostgreSQL at once fund it once (ADR 0047).
     */
    async addFirstFunds(companyId: string, input: AddFundsInput): Promise<boolean> {
      const amountPaise = await checkFundLoad(companyId, input);
      return withTransaction(db, async (tx) => {
        await repo.lockFundLoads(tx, companyId);
        if (await repo.hasFundLoad(tx, companyId)) return false;
        await loadFunds(tx, companyId, input, amountPaise);
        return true;
      });
    },

    /**
     * "Fetch Statement": the float's posted movements over IST calendar days [fromDate, toDate]
     * (both inclusive), oldest first, each with the balance after it. Held amounts are not
     * movements until the bank confirms them. Throws payout_statement_range.
     */
    async statement(companyId: string, input: { fromDate: string; toDate: string }, page: PageRequest): Promise<Statement> {
      const from = istDayStart(input.fromDate, 'fromDate');
      const to = new Date(istDayStart(input.toDate, 'toDate').getTime() + DAY_MS);
      if (to <= from) throw new PayoutDateRangeError('toDate must not be before fromDate', { param: 'toDate' });
      if (to.getTime() - from.getTime() > MAX_STATEMENT_DAYS * DAY_MS)
        throw new PayoutDateRangeError(`A statement spans at most ${MAX_STATEMENT_DAYS} days`, { param: 'toDate' });
      const account = await kit.floatBalance({ exec: db, companyId });
      if (!account) return { fromDate: input.fromDate, toDate: input.toDate, openingBalancePaise: 0n, closingBalancePaise: 0n, entries: [], total: 0 };
      const opening = (await kit.floatBalance({ exec: db, companyId, asOf: new Date(from.getTime() - 1) }))!.posted;
      // Every movement of the range (newest first from the ledger), to give each its running balance.
      const all = [];
      for (let offset = 0; ; offset += 100) {
        const { rows, total } = await ledger.listTransactions(db, companyId, { accountId: account.accountId, from, to }, { offset, limit: 100 });
        all.push(...rows);
        if (offset + 100 >= total) break;
      }
      all.reverse();
      let running = opening;
      const entries: StatementEntry[] = all.map((t) => {
        const leg = t.postings.find((p) => p.accountId === account.accountId)!;
        // payout_float is a liability: a credit raises the balance, a debit lowers it.
        running += leg.direction === 'credit' ? leg.amount : -leg.amount;
        return {
          ledgerTransactionId: t.id,
          transactionDate: t.effectiveAt,
          type: leg.direction === 'credit' ? 'CREDIT' : 'DEBIT',
          amountPaise: leg.amount,
          balancePaise: running,
          code: t.code,
          referenceType: t.referenceType,
          referenceId: t.referenceId,
          narration: t.description ?? t.code,
        };
      });
      return {
        fromDate: input.fromDate,
        toDate: input.toDate,
        openingBalancePaise: opening,
        closingBalancePaise: running,
        entries: entries.slice(page.offset, page.offset + page.limit),
        total: entries.length,
      };
    },
  };
}
