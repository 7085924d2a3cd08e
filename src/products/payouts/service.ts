import type { Logger } from 'pino';
import type { OAuthClient } from '../../auth/identity/index.js';
import { SandboxOnlyError } from '../../core/clock/errors.js';
import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { EventsService } from '../../core/events/index.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import type { SandboxClock, Timers } from '../../core/jobs/types.js';
import { LedgerAccountNotFoundError, LedgerInsufficientFundsError, type Balance, type Ledger } from '../../core/ledger/index.js';
import { parseRupees } from '../../core/money/index.js';
import { generateUtr, type BankTransferRail, type Beneficiary as RailBeneficiary, type TransferMode } from '../../rails/bank-transfer/index.js';
import { formatScenario, parseScenario, type RailOutcomeEvent, type Scenario } from '../../rails/index.js';
import type { RegistriesRail } from '../../rails/registries/index.js';
import {
  PayoutAccountInvalidError,
  PayoutBatchInvalidError,
  PayoutBeneficiaryDestinationError,
  PayoutBeneficiaryInvalidError,
  PayoutBeneficiaryNotFoundError,
  PayoutInvalidChecksumError,
  PayoutDateRangeError,
  PayoutTransactionExistsError,
} from './errors.js';
import { payoutEventPayload } from './events.js';
import {
  ACCOUNT_NUMBER_PATTERN,
  BENEFICIARY_IFSC_PATTERN,
  IDENTIFIER_PATTERN,
  MIN_TRANSFER_PAISE,
  NAME_PATTERN,
  REMARK_PATTERN,
  TRANSACTION_ID_PATTERN,
  beneficiaryChecksumFields,
  canMove,
  checkBeneficiaryFields,
  computeChecksum,
  fundSourceIdOf,
  isTransferMode,
  transferChecksumFields,
  verifyChecksum,
  type Batch,
  type Beneficiary,
  type BeneficiaryFields,
  type ChecksumVerdict,
  type FundLoad,
  type Rejection,
  type SourceAccount,
  type Transfer,
  type TransferStatus,
} from './model.js';
import * as repo from './repository.js';

/** The listener name of payout outcomes on the bank-transfer rail. */
export const OUTCOME_LISTENER = 'payouts.transfers';
/** The sandbox timer that sends a batch's PENDING transfers to the bank. */
export const BATCH_TIMER = 'payouts.batch';
/** At most this many transfers in one batch (INFERRED, docs/api/payouts.md). */
export const MAX_BATCH_TRANSFERS = 500;
/** A statement spans at most this many days (INFERRED). */
export const MAX_STATEMENT_DAYS = 31;

export interface PayoutsDeps {
  db: Executor;
  ledger: Ledger;
  events: Pick<EventsService, 'publish' | 'replayEvent' | 'wake'>;
  clocks: SandboxClock;
  timers: Timers;
  bankTransfer: BankTransferRail;
  registries: RegistriesRail;
  identity: { findClient(clientId: string): Promise<OAuthClient | null>; isSandboxCompany(companyId: string, exec?: Executor): Promise<boolean | null> };
  logger: Logger;
}

/** Who asks, from the bearer token and the request headers. */
export interface PayoutContext {
  companyId: string;
  clientId: string;
  scenario?: Scenario | undefined;
}

/**
 * Completes the request's Idempotency-Key record inside the business transaction with the answer
 * the route will send (core/idempotency `completeIdempotency`); the route builds it from `result`.
 */
export type Complete<T> = (tx: Executor, result: T) => Promise<unknown>;

export interface BeneficiaryInput extends BeneficiaryFields {
  beneficiaryId: string;
  beneficiaryAddress?: string | undefined;
  beneficiaryCity?: string | undefined;
  beneficiaryState?: string | undefined;
  checksum?: string | undefined;
}

export interface TransferInput {
  transactionId: string;
  beneficiaryId?: string | undefined;
  beneficiaryDetail?: (BeneficiaryFields & { beneficiaryId?: string | undefined }) | undefined;
  transferAmount: number;
  transferMode?: string | undefined;
  transferRemark?: string | undefined;
  reference?: string | undefined;
  fundSourceId?: string | undefined;
  debitAccountNumber?: string | undefined;
  checksum?: string | undefined;
}

/** The answer to a transfer request: a recorded attempt (any status), or the balance was short (nothing recorded). */
export type TransferOutcome = { kind: 'transfer'; transfer: Transfer; checksum: ChecksumVerdict | null } | { kind: 'insufficient_balance'; checksum: ChecksumVerdict | null };

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

const upperSnake = (code: string | undefined, fallback: string) => (code ?? fallback).toUpperCase();

export type PayoutsService = ReturnType<typeof createPayoutsService>;

export function createPayoutsService(deps: PayoutsDeps) {
  const { db, ledger, events, clocks, timers, bankTransfer, registries, identity, logger } = deps;

  async function checksumMode(clientId: string): Promise<{ mode: OAuthClient['payoutChecksum']; key: Buffer }> {
    const client = await identity.findClient(clientId);
    if (!client) throw new Error(`OAuth client ${clientId} of a valid token does not exist`);
    return { mode: client.payoutChecksum, key: client.payloadKey };
  }

  /** Verdict on a request checksum under the client's setting; null when the setting is off. */
  function judgeChecksum(setting: { mode: string; key: Buffer }, presented: string | undefined, fields: readonly (string | undefined)[]): ChecksumVerdict | null {
    if (setting.mode === 'off') return null;
    return verifyChecksum(presented, computeChecksum(fields, setting.key));
  }

  async function publish(tx: Executor, t: Transfer): Promise<string> {
    return (await events.publish(tx, t.companyId, { type: payoutEventPayload(t).event, payload: payoutEventPayload(t) })).eventId;
  }

  /** After the commit: deliver a `webhook_duplicate` outcome's webhook twice (same webhook-id). The outbox wakes delivery itself. */
  async function afterCommit(companyId: string, duplicateEventId: string | null): Promise<void> {
    if (duplicateEventId !== null) await events.replayEvent(companyId, duplicateEventId);
  }

  async function move(tx: Executor, t: Transfer, to: TransferStatus, patch: repo.TransferPatch, now: Date): Promise<Transfer> {
    if (!canMove(t.status, to)) throw new Error(`payout ${t.id}: ${t.status} → ${to} is not a transition`);
    return repo.updateTransfer(tx, t.companyId, t.id, { ...patch, status: to, updatedAt: now });
  }

  function destinationOf(t: Transfer): RailBeneficiary {
    return t.vpa !== null ? { vpa: t.vpa } : { accountNumber: t.accountNumber!, ifsc: t.ifsc! };
  }

  /**
   * Sends an accepted transfer to the bank and applies the immediate answer, all in `tx`: the
   * simulated rail schedules its later outcomes on `tx` (RailCall allows this for a rail without
   * network I/O), so the call, the hold and the status commit together or not at all (ADR 0014).
   * The hold is placed after the rail accepted: a rail rejection touches no ledger row, and a short
   * float throws ledger_insufficient_funds, which rolls everything back, scheduled outcomes included.
   */
  async function send(tx: Executor, t: Transfer, scenario: Scenario | undefined): Promise<{ transfer: Transfer; eventId: string; duplicate: boolean }> {
    const result = await bankTransfer.transfer(
      { companyId: t.companyId, attemptRef: t.id, replyTo: OUTCOME_LISTENER, scenario, exec: tx },
      { mode: t.transferMode as TransferMode, amountPaise: t.amountPaise, beneficiary: destinationOf(t), ...(t.transferRemark ? { remark: t.transferRemark } : {}) },
    );
    const now = await clocks.now(t.companyId, tx);
    if (result.status === 'rejected') {
      const rejected = await move(tx, t, 'REJECTED', { statusCode: result.rejectCode ?? 'REJECT_TRF_MODE', statusMessage: result.reasonMessage ?? 'Rejected by the bank rules' }, now);
      return { transfer: rejected, eventId: await publish(tx, rejected), duplicate: false };
    }
    const hold = await ledger.placeHold(tx, t.companyId, {
      code: 'payout',
      referenceType: 'payout',
      referenceId: t.id,
      debitAccount: 'payout_float',
      creditAccount: 'clearing:bank_transfer',
      amount: t.amountPaise,
    });
    const base = { holdId: hold.id, utr: result.utr ?? null };
    let next: Transfer;
    switch (result.status) {
      case 'succeeded':
        await ledger.captureHold(tx, t.companyId, hold.id);
        next = await move(tx, t, 'SUCCESS', { ...base, statusCode: null, statusMessage: 'Transfer credited to the beneficiary' }, now);
        break;
      case 'failed':
        await ledger.voidHold(tx, t.companyId, hold.id);
        next = await move(
          tx,
          t,
          'FAILED',
          { ...base, statusCode: upperSnake(result.reasonCode, 'failed'), statusMessage: `Transfer failed (${result.reasonCode ?? 'failed'}); the amount is returned to the payout balance` },
          now,
        );
        break;
      case 'pending':
      case 'no_answer': {
        const message = result.batchAt ? `Sent to the bank; NEFT batch at ${result.batchAt.toISOString()}` : 'Sent to the bank; awaiting its confirmation';
        next = t.status === 'PROCESSING' ? await repo.updateTransfer(tx, t.companyId, t.id, { ...base, statusMessage: message, updatedAt: now }) : await move(tx, t, 'PROCESSING', { ...base, statusMessage: message }, now);
        break;
      }
    }
    return { transfer: next, eventId: await publish(tx, next), duplicate: result.webhookDuplicate };
  }

  /**
   * The rules a transfer request must meet before anything is sent, in EnKash's reject codes. The
   * bank-transfer rail applies the mode's own rules (limits, VPA vs account, IFSC) when it is sent.
   */
  async function prepare(
    tx: Executor,
    ctx: PayoutContext,
    input: TransferInput,
    amountPaise: bigint,
    checksum: ChecksumVerdict | null,
    setting: { mode: string },
  ): Promise<{ draft: Omit<Transfer, 'id' | 'status' | 'createdAt' | 'updatedAt'>; rejection: Rejection | null }> {
    const draft: Omit<Transfer, 'id' | 'status' | 'createdAt' | 'updatedAt'> = {
      companyId: ctx.companyId,
      transactionId: input.transactionId,
      batchTransactionId: null,
      beneficiaryId: input.beneficiaryId ?? input.beneficiaryDetail?.beneficiaryId ?? null,
      beneficiaryName: input.beneficiaryDetail?.beneficiaryName ?? null,
      accountNumber: null,
      ifsc: null,
      vpa: null,
      amountPaise,
      transferMode: input.transferMode ?? 'NEFT',
      transferRemark: input.transferRemark ?? null,
      reference: input.reference ?? null,
      fundSourceId: input.fundSourceId ?? null,
      debitAccountNumber: input.debitAccountNumber ?? null,
      statusCode: null,
      statusMessage: null,
      utr: null,
      holdId: null,
      scenario: ctx.scenario ? formatScenario(ctx.scenario) : null,
      lastOutcomeSequence: 0,
    };
    const reject = (code: Rejection['code'], message: string) => ({ draft, rejection: { code, message } });
    if (setting.mode === 'strict' && checksum !== 'valid') return reject('REJECT_CHKSUM', checksum === 'missing' ? 'The checksum is missing' : 'Invalid checksum in the request');
    if (!TRANSACTION_ID_PATTERN.test(input.transactionId)) return reject('REJECT_TXN_ID', 'transactionId must be 1 to 50 letters, digits, - or _');
    if (input.beneficiaryId !== undefined && input.beneficiaryDetail !== undefined) {
      return reject('REJECT_BENEF_DET_ID', 'Send beneficiaryId or beneficiaryDetail, not both');
    }
    if (input.beneficiaryDetail !== undefined) {
      const checked = checkBeneficiaryFields(input.beneficiaryDetail);
      if (!checked.ok) return reject(checked.rejection.code, checked.rejection.message);
      Object.assign(draft, 'vpa' in checked.destination ? { vpa: checked.destination.vpa } : checked.destination);
    } else if (input.beneficiaryId !== undefined) {
      const b = await repo.findBeneficiary(tx, ctx.companyId, input.beneficiaryId);
      if (!b) return reject('REJECT_BENEF_ID', `No beneficiary ${input.beneficiaryId}`);
      Object.assign(draft, { beneficiaryName: b.beneficiaryName, accountNumber: b.accountNumber, ifsc: b.ifsc, vpa: b.vpa });
    } else {
      return reject('REJECT_BENEF_ID', 'Send beneficiaryId or beneficiaryDetail');
    }
    if (amountPaise < MIN_TRANSFER_PAISE) return reject('REJECT_TRF_AMT', 'transferAmount must be at least 1.00');
    if (!isTransferMode(draft.transferMode)) return reject('REJECT_TRF_MODE', 'transferMode must be one of IMPS, NEFT, RTGS, UPI');
    if (input.transferRemark !== undefined && !REMARK_PATTERN.test(input.transferRemark)) {
      return reject('REJECT_TRF_RMK', 'transferRemark must be 1 to 50 letters, digits, spaces or . , - /');
    }
    if (input.fundSourceId !== undefined && input.fundSourceId !== fundSourceIdOf(ctx.companyId)) {
      return reject('REJECT_FND_SRC_ID', `Unknown fundSourceId ${input.fundSourceId}`);
    }
    if (input.debitAccountNumber !== undefined && !(await repo.findSourceAccount(tx, ctx.companyId, input.debitAccountNumber))) {
      return reject('REJECT_FND_SRC_ID', 'debitAccountNumber is not a registered source bank account');
    }
    return { draft, rejection: null };
  }

  function newTransfer(draft: Omit<Transfer, 'id' | 'status' | 'createdAt' | 'updatedAt'>, status: TransferStatus, now: Date, rejection: Rejection | null): Transfer {
    return {
      ...draft,
      id: newId('po'),
      status,
      ...(rejection ? { statusCode: rejection.code, statusMessage: rejection.message } : {}),
      createdAt: now,
      updatedAt: now,
    };
  }

  /** The sandbox timer of a batch: each PENDING transfer is sent in its own transaction, in order. */
  async function processBatch(companyId: string, batchTransactionId: string): Promise<void> {
    for (const id of await repo.pendingBatchTransferIds(db, companyId, batchTransactionId)) {
      let duplicate: string | null = null;
      try {
        duplicate = await withTransaction(db, async (tx) => {
          const t = await repo.lockTransfer(tx, companyId, id);
          if (!t || t.status !== 'PENDING') return null;
          const sent = await send(tx, t, t.scenario ? parseScenario(t.scenario) : undefined);
          return sent.duplicate ? sent.eventId : null;
        });
      } catch (err) {
        if (!(err instanceof LedgerInsufficientFundsError)) throw err;
        // The float is short when this transfer's turn comes: nothing was sent or held; it is
        // rejected so that the same transactionId can be re-initiated once funds are added.
        await withTransaction(db, async (tx) => {
          const t = await repo.lockTransfer(tx, companyId, id);
          if (!t || t.status !== 'PENDING') return;
          const now = await clocks.now(companyId, tx);
          await publish(tx, await move(tx, t, 'REJECTED', { statusCode: 'REJECT_INSUFFICIENT_BALANCE', statusMessage: 'Insufficient balance in the payout account' }, now));
        });
      }
      await afterCommit(companyId, duplicate);
    }
  }

  /** A later outcome of the bank (NEFT batch, delayed credit or failure, reversal); at least once, in sequence. */
  async function onOutcome(e: RailOutcomeEvent): Promise<void> {
    const duplicate = await withTransaction(db, async (tx) => {
      const t = await repo.lockTransfer(tx, e.companyId, e.attemptRef);
      if (!t || e.sequence <= t.lastOutcomeSequence) return null;
      const now = e.occurredAt;
      const seen = { lastOutcomeSequence: e.sequence };
      let next: Transfer;
      if (e.status === 'succeeded' && t.status === 'PROCESSING') {
        await ledger.captureHold(tx, t.companyId, t.holdId!);
        next = await move(tx, t, 'SUCCESS', { ...seen, utr: e.reference ?? t.utr, statusCode: null, statusMessage: 'Transfer credited to the beneficiary' }, now);
      } else if ((e.status === 'failed' || e.status === 'declined') && t.status === 'PROCESSING') {
        await ledger.voidHold(tx, t.companyId, t.holdId!);
        const reason = e.reasonCode ?? 'failed';
        next = await move(tx, t, 'FAILED', { ...seen, statusCode: upperSnake(reason, 'failed'), statusMessage: `Transfer failed (${reason}); the amount is returned to the payout balance` }, now);
      } else if (e.status === 'reversed' && t.status === 'SUCCESS') {
        // The bank returned a credited transfer: a new balanced transaction brings the money back.
        await ledger.post(tx, t.companyId, {
          code: 'payout_return',
          referenceType: 'payout',
          referenceId: t.id,
          description: `Payout ${t.transactionId} returned by the beneficiary bank`,
          postings: [
            { account: 'clearing:bank_transfer', direction: 'debit', amount: t.amountPaise },
            { account: 'payout_float', direction: 'credit', amount: t.amountPaise },
          ],
        });
        const reason = e.reasonCode ?? 'returned_by_beneficiary_bank';
        next = await move(tx, t, 'REVERSED', { ...seen, statusCode: upperSnake(reason, reason), statusMessage: `Returned by the beneficiary bank (${reason}); the amount is back in the payout balance` }, now);
      } else {
        logger.warn({ payout: t.id, status: t.status, outcome: e.status, sequence: e.sequence }, 'payout outcome does not apply to the transfer\'s status; recorded and ignored');
        await repo.updateTransfer(tx, t.companyId, t.id, seen);
        return null;
      }
      const eventId = await publish(tx, next);
      return e.webhookDuplicate ? eventId : null;
    });
    await afterCommit(e.companyId, duplicate);
  }

  bankTransfer.onOutcome(OUTCOME_LISTENER, onOutcome);
  timers.register<{ batchTransactionId: string }>(BATCH_TIMER, (timer) => processBatch(timer.companyId, timer.payload.batchTransactionId));

  async function floatBalance(exec: Executor, companyId: string, asOf?: Date): Promise<Balance | null> {
    try {
      const account = await ledger.getAccount(exec, companyId, 'payout_float');
      return await ledger.balance(exec, companyId, account.id, asOf ? { asOf } : {});
    } catch (err) {
      // A company that never loaded its float has no account yet: its balance is zero.
      if (err instanceof LedgerAccountNotFoundError) return null;
      throw err;
    }
  }

  return {
    // Payout account (reference §3 "Bank Details")

    async sourceAccounts(companyId: string): Promise<SourceAccount[]> {
      return repo.listSourceAccounts(db, companyId);
    },

    /** "Add Source Bank Account". Throws payout_account_invalid, payout_source_account_exists. */
    async addSourceAccount(companyId: string, input: { accountNumber: string; ifsc: string; accountHolderName: string }): Promise<SourceAccount> {
      if (!ACCOUNT_NUMBER_PATTERN.test(input.accountNumber)) throw new PayoutAccountInvalidError('Please provide a valid accountNumber (9 to 18 digits)', { param: 'accountNumber' });
      const ifsc = input.ifsc.toUpperCase();
      if (!BENEFICIARY_IFSC_PATTERN.test(ifsc)) throw new PayoutAccountInvalidError('Please provide a valid ifsc', { param: 'ifsc' });
      if (!NAME_PATTERN.test(input.accountHolderName)) throw new PayoutAccountInvalidError('Please provide a valid accountHolderName (letters and spaces, at most 100)', { param: 'accountHolderName' });
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
      const b = await floatBalance(db, companyId);
      return { fundSourceId: fundSourceIdOf(companyId), available: b?.available ?? 0n, ledger: b?.posted ?? 0n, held: b?.pending ?? 0n, asOn: await clocks.now(companyId) };
    },

    /**
     * "Add Funds to EnKash" in the sandbox: a simulated inward IMPS credit from the company's bank
     * to its payout float, credited at once (one balanced transaction from `sandbox_funding`). Live
     * companies load their float by a real transfer to their virtual account: 403 sandbox_only.
     */
    async addFunds(
      companyId: string,
      input: { amount: number; sourceAccountNumber?: string | undefined; reference?: string | undefined },
      complete: Complete<{ load: FundLoad; balance: PayoutBalance }>,
    ): Promise<{ load: FundLoad; balance: PayoutBalance }> {
      if ((await identity.isSandboxCompany(companyId)) !== true) {
        throw new SandboxOnlyError('Adding funds is simulated only for sandbox companies; live companies transfer to their virtual account', { param: 'companyId' });
      }
      const amountPaise = parseRupees(input.amount, { field: 'amount' });
      if (input.reference !== undefined && !REMARK_PATTERN.test(input.reference)) throw new PayoutAccountInvalidError('reference must be 1 to 50 letters, digits, spaces or . , - /', { param: 'reference' });
      return withTransaction(db, async (tx) => {
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
        const b = (await floatBalance(tx, companyId))!;
        const result = { load, balance: { fundSourceId: fundSourceIdOf(companyId), available: b.available, ledger: b.posted, held: b.pending, asOn: now } };
        await complete(tx, result);
        return result;
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
      if (to.getTime() - from.getTime() > MAX_STATEMENT_DAYS * DAY_MS) throw new PayoutDateRangeError(`A statement spans at most ${MAX_STATEMENT_DAYS} days`, { param: 'toDate' });
      const account = await floatBalance(db, companyId);
      if (!account) return { fromDate: input.fromDate, toDate: input.toDate, openingBalancePaise: 0n, closingBalancePaise: 0n, entries: [], total: 0 };
      const opening = (await floatBalance(db, companyId, new Date(from.getTime() - 1)))!.posted;
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

    // Beneficiaries

    /**
     * "Create Beneficiary". Throws validation errors (422 payout_beneficiary_invalid, 412
     * payout_beneficiary_destination or payout_invalid_checksum) and payout_beneficiary_exists.
     */
    async addBeneficiary(ctx: PayoutContext, input: BeneficiaryInput): Promise<{ beneficiary: Beneficiary; checksum: ChecksumVerdict | null }> {
      const setting = await checksumMode(ctx.clientId);
      const checksum = judgeChecksum(setting, input.checksum, beneficiaryChecksumFields(input));
      if (setting.mode === 'strict' && checksum !== 'valid') throw new PayoutInvalidChecksumError('Invalid checksum in the request', { param: 'checksum' });
      if (!IDENTIFIER_PATTERN.test(input.beneficiaryId)) throw new PayoutBeneficiaryInvalidError('Please provide a valid Beneficiary ID (1 to 50 letters or digits)', { param: 'beneficiaryId' });
      const checked = checkBeneficiaryFields(input);
      if (!checked.ok) {
        const Err = checked.kind === 'destination' ? PayoutBeneficiaryDestinationError : PayoutBeneficiaryInvalidError;
        throw new Err(checked.rejection.message, { param: checked.param });
      }
      const d = checked.destination;
      if ('ifsc' in d && (await registries.lookupIfsc(d.ifsc)).outcome !== 'found') {
        throw new PayoutBeneficiaryInvalidError(`Please provide a valid Beneficiary IFSC: no bank branch has the IFSC ${d.ifsc}`, { param: 'beneficiaryIfsc' });
      }
      const text = (v: string | undefined) => (v === undefined || v === '' ? null : v);
      return withTransaction(db, async (tx) => {
        const beneficiary: Beneficiary = {
          id: newId('pben'),
          companyId: ctx.companyId,
          beneficiaryId: input.beneficiaryId,
          beneficiaryName: input.beneficiaryName!,
          accountNumber: 'accountNumber' in d ? d.accountNumber : null,
          ifsc: 'ifsc' in d ? d.ifsc : null,
          vpa: 'vpa' in d ? d.vpa : null,
          email: text(input.beneficiaryEmail),
          phone: text(input.beneficiaryPhone),
          address: text(input.beneficiaryAddress),
          city: text(input.beneficiaryCity),
          state: text(input.beneficiaryState),
          pincode: text(input.beneficiaryPincode),
          createdAt: await clocks.now(ctx.companyId, tx),
          deletedAt: null,
        };
        await repo.insertBeneficiary(tx, beneficiary);
        return { beneficiary, checksum };
      });
    },

    searchBeneficiaries: (companyId: string, filters: repo.BeneficiaryFilters, page: PageRequest) => repo.searchBeneficiaries(db, companyId, filters, page),

    /** Deletes a beneficiary: it can no longer be paid, and its beneficiaryId may be used again. Throws payout_beneficiary_not_found. */
    async deleteBeneficiary(companyId: string, beneficiaryId: string): Promise<Beneficiary> {
      return withTransaction(db, async (tx) => {
        const deleted = await repo.markBeneficiaryDeleted(tx, companyId, beneficiaryId, await clocks.now(companyId, tx));
        if (!deleted) throw new PayoutBeneficiaryNotFoundError(`No beneficiary ${beneficiaryId}`, { param: 'beneficiaryId' });
        return deleted;
      });
    },

    // Transfers

    /**
     * "Initiate Transfer". One transaction: the duplicate check, the rules (a broken one records a
     * REJECTED attempt), the rail call, the hold and the immediate outcome, the webhook event and
     * the Idempotency-Key answer. A short float records nothing. Throws payout_transaction_exists
     * (409) and invalid_amount (400, a third decimal).
     */
    async createTransfer(ctx: PayoutContext, input: TransferInput, complete: Complete<TransferOutcome>): Promise<TransferOutcome> {
      const amountPaise = parseRupees(input.transferAmount, { field: 'transferAmount' });
      const setting = await checksumMode(ctx.clientId);
      const checksum = judgeChecksum(setting, input.checksum, transferChecksumFields(input, amountPaise));
      let duplicate: string | null = null;
      try {
        const outcome = await withTransaction(db, async (tx): Promise<TransferOutcome> => {
          duplicate = null;
          if (await repo.findLiveTransfer(tx, ctx.companyId, input.transactionId)) {
            throw new PayoutTransactionExistsError(`transactionId ${input.transactionId} already exists`, { param: 'transactionId' });
          }
          const { draft, rejection } = await prepare(tx, ctx, input, amountPaise, checksum, setting);
          const now = await clocks.now(ctx.companyId, tx);
          let transfer: Transfer;
          if (rejection) {
            transfer = newTransfer(draft, 'REJECTED', now, rejection);
            await repo.insertTransfer(tx, transfer);
            await publish(tx, transfer);
          } else {
            // PROCESSING from the start: a single transfer is never PENDING (reference §3).
            const accepted = newTransfer(draft, 'PROCESSING', now, null);
            await repo.insertTransfer(tx, accepted);
            const sent = await send(tx, accepted, ctx.scenario);
            transfer = sent.transfer;
            if (sent.duplicate) duplicate = sent.eventId;
          }
          const result: TransferOutcome = { kind: 'transfer', transfer, checksum };
          await complete(tx, result);
          return result;
        });
        await afterCommit(ctx.companyId, duplicate);
        return outcome;
      } catch (err) {
        if (!(err instanceof LedgerInsufficientFundsError)) throw err;
        return { kind: 'insufficient_balance', checksum };
      }
    },

    /**
     * "Initiate Batch Transfer": every transfer is checked now (REJECTED or PENDING) and the
     * PENDING ones are sent by a sandbox timer due at once, in order, each in its own transaction.
     * Throws payout_batch_exists, payout_transaction_exists (the whole batch is refused),
     * payout_batch_invalid, invalid_amount.
     */
    async createBatch(
      ctx: PayoutContext,
      input: { batchTransactionId: string; transfers: TransferInput[] },
      complete: Complete<{ batch: Batch; transfers: Transfer[] }>,
    ): Promise<{ batch: Batch; transfers: Transfer[] }> {
      if (!TRANSACTION_ID_PATTERN.test(input.batchTransactionId)) throw new PayoutBatchInvalidError('batchTransactionId must be 1 to 50 letters, digits, - or _', { param: 'batchTransactionId' });
      if (input.transfers.length === 0 || input.transfers.length > MAX_BATCH_TRANSFERS) {
        throw new PayoutBatchInvalidError(`A batch holds 1 to ${MAX_BATCH_TRANSFERS} transfers`, { param: 'transfers' });
      }
      const ids = new Set<string>();
      for (const t of input.transfers) {
        if (ids.has(t.transactionId)) throw new PayoutBatchInvalidError(`transactionId ${t.transactionId} appears twice in the batch`, { param: 'transfers' });
        ids.add(t.transactionId);
      }
      const amounts = input.transfers.map((t, i) => parseRupees(t.transferAmount, { field: `transfers.${i}.transferAmount` }));
      const setting = await checksumMode(ctx.clientId);
      const result = await withTransaction(db, async (tx) => {
        const now = await clocks.now(ctx.companyId, tx);
        const batch: Batch = { id: newId('pob'), companyId: ctx.companyId, batchTransactionId: input.batchTransactionId, transferCount: input.transfers.length, createdAt: now };
        await repo.insertBatch(tx, batch);
        const transfers: Transfer[] = [];
        for (const [i, item] of input.transfers.entries()) {
          if (await repo.findLiveTransfer(tx, ctx.companyId, item.transactionId)) {
            throw new PayoutTransactionExistsError(`transactionId ${item.transactionId} already exists`, { param: `transfers.${i}.transactionId` });
          }
          const checksum = judgeChecksum(setting, item.checksum, transferChecksumFields(item, amounts[i]!));
          const { draft, rejection } = await prepare(tx, ctx, item, amounts[i]!, checksum, setting);
          const transfer = newTransfer({ ...draft, batchTransactionId: batch.batchTransactionId }, rejection ? 'REJECTED' : 'PENDING', now, rejection);
          await repo.insertTransfer(tx, transfer);
          await publish(tx, transfer);
          transfers.push(transfer);
        }
        if (transfers.some((t) => t.status === 'PENDING')) {
          await timers.schedule(tx, { companyId: ctx.companyId, dueAt: now, kind: BATCH_TIMER, payload: { batchTransactionId: batch.batchTransactionId }, dedupeKey: `payouts.batch:${batch.id}` });
        }
        const out = { batch, transfers };
        await complete(tx, out);
        return out;
      });
      return result;
    },

    searchTransfers: (companyId: string, filters: repo.TransferFilters, page: PageRequest) => repo.searchTransfers(db, companyId, filters, page),
  };
}
