import type { Logger } from 'pino';
import type { Executor } from '../../../core/db/engine.js';
import { uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import type { EventsService } from '../../../core/events/index.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock } from '../../../core/jobs/types.js';
import type { Ledger } from '../../../core/ledger/index.js';
import { generateUtr, type TransferLimits } from '../../../rails/bank-transfer/rules.js';
import { ECOLLECT_IFSC } from './test-data.js';
import { gatewayId } from '../split/index.js';
import { VirtualAccountClosedError, VirtualAccountNotFoundError, VirtualAccountReferenceExistsError, VirtualAccountUtrReusedError } from './errors.js';
import { VIRTUAL_ACCOUNT_CREDITED } from './events.js';
import {
  amountRulesProblem,
  clearingAccount,
  CREDIT_MODES,
  creditRejection,
  effectiveStatus,
  newAccountNumber,
  vpaOf,
  type AllowedRemitter,
  type AmountRules,
  type CreditMode,
  type VirtualAccount,
  type VirtualAccountCredit,
  type VirtualAccountStatus,
} from './model.js';
import * as repo from './repository.js';
import { wireCredit } from './schemas.js';

export interface AccountInput {
  referenceId: string;
  customerName: string;
  customerEmail?: string | undefined;
  customerMobile?: string | undefined;
  description?: string | undefined;
  rules: AmountRules;
  allowedModes?: CreditMode[] | undefined;
  allowedRemitters?: AllowedRemitter[] | undefined;
  closeBy?: Date | undefined;
  notifyUrl?: string | undefined;
}

export interface AccountUpdate {
  customerName?: string;
  customerEmail?: string;
  customerMobile?: string;
  description?: string;
  /** A new amount rule with its amounts; absent: the rule is kept. */
  rules?: AmountRules;
  allowedModes?: CreditMode[];
  allowedRemitters?: AllowedRemitter[];
  closeBy?: Date | null;
  notifyUrl?: string | null;
  close?: boolean;
}

export interface CreditInput {
  target: { accountNumber: string; ifsc?: string | undefined } | { vpa: string };
  amountPaise: bigint;
  mode: CreditMode;
  remitterName: string;
  remitterAccount: string;
  remitterIfsc: string;
  remitterVpa?: string | undefined;
  utr?: string | undefined;
}

export interface EcollectDeps {
  db: Executor;
  clock: SandboxClock;
  ledger: Ledger;
  events: Pick<EventsService, 'publish' | 'wake' | 'checkNotifyUrl'>;
  /** The bank-transfer rail's limits (config.transferLimits): the same IMPS/UPI caps and RTGS floor. */
  limits: TransferLimits;
  logger: Logger;
}

/** Stores the answer of the request in the transaction that did the work (core/idempotency). */
type Complete<T> = (tx: Executor, result: T) => Promise<void>;

export type EcollectService = ReturnType<typeof createEcollectService>;

/** A repeated account number or VPA from the random generator: drawn again, a few times at most. */
const ISSUE_ATTEMPTS = 5;

/**
 * E-Collect virtual accounts (reference §2.11; ADR 0025): accounts at the sandbox collection bank,
 * and inward credits matched to them. A credit locks its account row, so the account's running
 * total, its ledger posting and its event are written once per UTR, also under concurrent calls.
 */
export function createEcollectService(deps: EcollectDeps) {
  const { db, clock, ledger, events, limits, logger } = deps;

  async function load(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<VirtualAccount> {
    const account = await repo.findAccountBy(exec, companyId, { id }, forUpdate);
    if (!account) throw new VirtualAccountNotFoundError(`No virtual account ${id}`, { param: 'virtualAccountId' });
    return account;
  }

  function checkRules(rules: AmountRules): void {
    const problem = amountRulesProblem(rules);
    if (problem) throw new ValidationError(problem.message, { param: problem.param });
  }

  function checkCloseBy(closeBy: Date | null | undefined, now: Date): void {
    if (closeBy && closeBy.getTime() <= now.getTime())
      throw new ValidationError(`Invalid field closeBy: it must be after the sandbox time ${now.toISOString()}`, { param: 'closeBy' });
  }

  async function withStatus(companyId: string, account: VirtualAccount, exec: Executor = db) {
    return { account, status: effectiveStatus(account, await clock.now(companyId, exec)) };
  }

  /** The first credit of a UTR answers its repeats; another account, amount or mode is a 409. */
  function sameCredit(existing: VirtualAccountCredit, account: VirtualAccount, input: CreditInput): VirtualAccountCredit {
    if (existing.virtualAccountId !== account.id || existing.amountPaise !== input.amountPaise || existing.mode !== input.mode) {
      throw new VirtualAccountUtrReusedError(`utr ${existing.utr} was already used for another credit (${existing.id})`, { param: 'utr' });
    }
    return existing;
  }

  async function findTarget(exec: Executor, companyId: string, target: CreditInput['target'], forUpdate: boolean): Promise<VirtualAccount> {
    // A wrong IFSC sends the money to another bank: no account of ours is credited.
    const ours = !('ifsc' in target) || target.ifsc === undefined || target.ifsc === ECOLLECT_IFSC;
    const by = 'vpa' in target ? { vpa: target.vpa.toLowerCase() } : { accountNumber: target.accountNumber };
    const account = ours ? await repo.findAccountBy(exec, companyId, by, forUpdate) : null;
    if (!account) {
      const what = 'vpa' in target ? `VPA ${target.vpa}` : `account number ${target.accountNumber}${ours ? '' : ` at ${target.ifsc}`}`;
      throw new VirtualAccountNotFoundError(`No virtual account with ${what}`, { param: 'vpa' in target ? 'vpa' : 'accountNumber' });
    }
    return account;
  }

  return {
    /** @throws validation_failed (amount rule, closeBy), virtual_account_reference_exists, webhook_target_forbidden */
    async create(companyId: string, input: AccountInput, complete: Complete<{ account: VirtualAccount; status: VirtualAccountStatus }>) {
      checkRules(input.rules);
      if (input.notifyUrl !== undefined) await events.checkNotifyUrl(companyId, input.notifyUrl, 'notifyUrl');
      for (let attempt = 1; ; attempt++) {
        try {
          return await withTransaction(db, async (tx) => {
            const now = await clock.now(companyId, tx);
            checkCloseBy(input.closeBy, now);
            const accountNumber = newAccountNumber();
            const account: VirtualAccount = {
              id: gatewayId('VAC', now),
              companyId,
              referenceId: input.referenceId,
              accountNumber,
              ifsc: ECOLLECT_IFSC,
              vpa: vpaOf(accountNumber),
              customerName: input.customerName,
              customerEmail: input.customerEmail ?? null,
              customerMobile: input.customerMobile ?? null,
              description: input.description ?? null,
              ...input.rules,
              allowedModes: input.allowedModes ?? [...CREDIT_MODES],
              allowedRemitters: input.allowedRemitters ?? [],
              closeBy: input.closeBy ?? null,
              notifyUrl: input.notifyUrl ?? null,
              status: 'ACTIVE',
              closedAt: null,
              creditedPaise: 0n,
              creditCount: 0,
              createdAt: now,
              updatedAt: now,
            };
            await repo.insertAccount(tx, account);
            const result = { account, status: 'ACTIVE' as const };
            await complete(tx, result);
            return result;
          });
        } catch (err) {
          const constraint = uniqueViolation(err);
          if (constraint === 'uq_gateway_virtual_accounts_company_reference') {
            throw new VirtualAccountReferenceExistsError(`referenceId ${input.referenceId} is already used by a virtual account`, {
              param: 'referenceId',
              cause: err,
            });
          }
          const collided = constraint === 'uq_gateway_virtual_accounts_account_number' || constraint === 'uq_gateway_virtual_accounts_vpa';
          if (!collided || attempt >= ISSUE_ATTEMPTS) throw err;
        }
      }
    },

    /** @throws virtual_account_not_found, virtual_account_closed, validation_failed, webhook_target_forbidden */
    async update(companyId: string, id: string, input: AccountUpdate) {
      // Another company's id is a 404 whatever the body holds (tenant isolation answers alike).
      await load(db, companyId, id);
      if (input.rules) checkRules(input.rules);
      if (typeof input.notifyUrl === 'string') await events.checkNotifyUrl(companyId, input.notifyUrl, 'notifyUrl');
      return withTransaction(db, async (tx) => {
        const account = await load(tx, companyId, id, true);
        if (account.status === 'CLOSED')
          throw new VirtualAccountClosedError(`Virtual account ${id} is closed and can no longer be changed`, { param: 'virtualAccountId' });
        const now = await clock.now(companyId, tx);
        checkCloseBy(input.closeBy, now);
        const set: Partial<VirtualAccount> = { updatedAt: now };
        if (input.customerName !== undefined) set.customerName = input.customerName;
        if (input.customerEmail !== undefined) set.customerEmail = input.customerEmail;
        if (input.customerMobile !== undefined) set.customerMobile = input.customerMobile;
        if (input.description !== undefined) set.description = input.description;
        if (input.rules !== undefined) Object.assign(set, input.rules);
        if (input.allowedModes !== undefined) set.allowedModes = input.allowedModes;
        if (input.allowedRemitters !== undefined) set.allowedRemitters = input.allowedRemitters;
        if (input.closeBy !== undefined) set.closeBy = input.closeBy;
        if (input.notifyUrl !== undefined) set.notifyUrl = input.notifyUrl;
        if (input.close) Object.assign(set, { status: 'CLOSED', closedAt: now });
        const updated = await repo.updateAccount(tx, companyId, id, set);
        return { account: updated, status: effectiveStatus(updated, now) };
      });
    },

    get: async (companyId: string, id: string) => withStatus(companyId, await load(db, companyId, id)),

    async getByAccountNumber(companyId: string, accountNumber: string) {
      const account = await repo.findAccountBy(db, companyId, { accountNumber });
      if (!account) throw new VirtualAccountNotFoundError(`No virtual account with account number ${accountNumber}`, { param: 'accountNumber' });
      return withStatus(companyId, account);
    },

    async search(
      companyId: string,
      filters: Omit<repo.AccountFilters, 'status'> & { status?: VirtualAccountStatus },
      page: Parameters<typeof repo.searchAccounts>[3],
    ) {
      const now = await clock.now(companyId);
      const { status, ...rest } = filters;
      const { rows, total } = await repo.searchAccounts(db, companyId, { ...rest, ...(status ? { status: { value: status, now } } : {}) }, page);
      return { rows: rows.map((account) => ({ account, status: effectiveStatus(account, now) })), total };
    },

    async credits(companyId: string, id: string, page: PageRequest) {
      const account = await load(db, companyId, id);
      return { account, ...(await repo.listCredits(db, companyId, id, page)) };
    },

    /**
     * An inward credit arrives at the collection bank (sandbox): matched to the account, checked
     * against its rules, then CREDITED (ledger, running total, event and notifyUrl) or REJECTED
     * (recorded with its reason; no money moves). Idempotent per UTR.
     * @throws virtual_account_not_found, virtual_account_utr_reused
     */
    async credit(companyId: string, input: CreditInput, complete: Complete<{ credit: VirtualAccountCredit; account: VirtualAccount }>) {
      const result = await withTransaction(db, async (tx) => {
        const account = await findTarget(tx, companyId, input.target, true);
        // After the account lock: a twin credit with this UTR to this account has committed or not started.
        const existing = input.utr === undefined ? null : await repo.findCreditByUtr(tx, companyId, input.utr);
        if (existing) {
          const repeat = { credit: sameCredit(existing, account, input), account };
          await complete(tx, repeat);
          return { ...repeat, published: false };
        }
        const now = await clock.now(companyId, tx);
        const rejection = creditRejection(account, input, now, limits);
        const id = gatewayId('VCR', now);
        let ledgerTransactionId: string | null = null;
        if (!rejection) {
          const posted = await ledger.post(tx, companyId, {
            code: 'virtual_account_credit',
            referenceType: 'gateway_virtual_account_credit',
            referenceId: id,
            description: `${input.mode} credit to virtual account ${account.accountNumber}`,
            postings: [
              { account: clearingAccount(input.mode), direction: 'debit', amount: input.amountPaise },
              { account: 'merchant_available', direction: 'credit', amount: input.amountPaise },
            ],
          });
          ledgerTransactionId = posted.id;
        }
        const credit: VirtualAccountCredit = {
          id,
          companyId,
          virtualAccountId: account.id,
          utr: input.utr ?? generateUtr(input.mode, now, input.remitterIfsc.slice(0, 4)),
          mode: input.mode,
          amountPaise: input.amountPaise,
          remitterName: input.remitterName,
          remitterAccount: input.remitterAccount,
          remitterIfsc: input.remitterIfsc,
          remitterVpa: input.remitterVpa?.toLowerCase() ?? null,
          status: rejection ? 'REJECTED' : 'CREDITED',
          rejectReason: rejection?.reason ?? null,
          rejectMessage: rejection?.message ?? null,
          ledgerTransactionId,
          createdAt: now,
        };
        await repo.insertCredit(tx, credit);
        let current = account;
        if (!rejection) {
          await repo.addCredited(tx, companyId, account.id, input.amountPaise, now);
          current = { ...account, creditedPaise: account.creditedPaise + input.amountPaise, creditCount: account.creditCount + 1, updatedAt: now };
          const { rejectReason: _r, rejectMessage: _m, ...payload } = wireCredit(credit, current);
          await events.publish(tx, companyId, { type: VIRTUAL_ACCOUNT_CREDITED.type, payload, notifyUrl: current.notifyUrl });
        }
        await complete(tx, { credit, account: current });
        logger.info({ companyId, creditId: id, virtualAccountId: account.id, status: credit.status, reason: credit.rejectReason }, 'virtual account credit');
        return { credit, account: current, published: !rejection };
      }).catch(async (err: unknown) => {
        // A twin with the same UTR to another account committed first: answer as a repeat would.
        if (uniqueViolation(err) !== 'uq_gateway_virtual_account_credits_company_utr' || input.utr === undefined) throw err;
        const existing = (await repo.findCreditByUtr(db, companyId, input.utr))!;
        const account = await findTarget(db, companyId, input.target, false);
        return { credit: sameCredit(existing, account, input), account, published: false };
      });
      return { credit: result.credit, account: result.account };
    },
  };
}
