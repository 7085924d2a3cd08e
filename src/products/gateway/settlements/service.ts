import type { Logger } from 'pino';
import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import type { EventsService } from '../../../core/events/index.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import type { Ledger } from '../../../core/ledger/index.js';
import { formatRupees } from '../../../core/money/index.js';
import type { BankTransferRail, RailOutcomeEvent } from '../../../rails/index.js';
import { DEFAULT_LIMITS } from '../../../rails/bank-transfer/rules.js';
import { afterCommit } from '../../../core/db/transaction.js';
import { defaultGatewaySettings, type GatewaySettings } from '../settings/index.js';
import { findAccounts } from '../split/index.js';
import { fromStoredSplit, gatewayId } from '../split/index.js';
import { SettlementNotFoundError } from './errors.js';
import { SETTLEMENT_FAILED, SETTLEMENT_SUCCESS } from './events.js';
import {
  batchCutoff,
  batchDateForCapture,
  batchRunAt,
  computeSettlement,
  maskAccountNumber,
  MERCHANT,
  nextBatchDate,
  payoutMode,
  settlementPostings,
  type PayoutStatus,
} from './model.js';
import * as repo from './repository.js';

/** The timer of a company's settlement batch on one IST date. */
export const SETTLEMENT_TIMER = 'gateway.settlement.run';
/** The bank-transfer listener of settlement payouts. */
export const SETTLEMENT_REPLY_TO = 'gateway.settlements';

/**
 * Where a merchant's own settlement is paid when nothing else is configured: the sandbox test
 * beneficiary that is credited at once (docs/sandbox.md, bank transfers).
 */

export interface SettlementsDeps {
  db: Executor;
  clock: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  events: EventsService;
  bankTransfer: BankTransferRail;
  logger: Logger;
  /** The company's gateway settings (settlementDelayDays); defaults to `defaultGatewaySettings`. */
  settingsFor?: (exec: Executor, companyId: string) => Promise<GatewaySettings>;
  /** Largest IMPS transfer; larger payouts go by RTGS. */
  impsMaxPaise?: bigint;
}

export type SettlementsService = ReturnType<typeof createSettlementsService>;
export type SettlementSearch = repo.SettlementFilters & PageRequest & { orderBy: keyof typeof repo.SETTLEMENT_SORT; direction: 'ASC' | 'DESC' };

export function wireSettlement(s: repo.SettlementRow) {
  return {
    settlementPayoutId: s.id,
    merchantDetailId: s.companyId,
    splitAccountId: s.beneficiary === MERCHANT ? null : s.beneficiary,
    settlementDate: s.batchDate,
    cutoff: s.cutoffAt.toISOString(),
    totalSaleAmount: formatRupees(s.totalSalePaise),
    splitAmount: formatRupees(s.splitPaise),
    totalRefundAmount: formatRupees(s.totalRefundPaise),
    refundChargebackAmount: formatRupees(s.refundChargebackPaise),
    totalCharges: formatRupees(s.totalChargesPaise),
    totalGst: formatRupees(s.totalGstPaise),
    adjustmentAmount: formatRupees(s.adjustmentPaise),
    carryForwardAmount: formatRupees(s.carryForwardPaise),
    totalSettlementAmount: formatRupees(s.totalSettlementPaise),
    transactionCount: s.transactionCount,
    refundCount: s.refundCount,
    payoutStatus: s.payoutStatus as PayoutStatus,
    utr: s.utr,
    transferMode: s.transferMode,
    bankAccountNumber: maskAccountNumber(s.accountNumber),
    ifsc: s.ifsc,
    failureReason: s.failureReason,
    createdOn: s.createdAt.toISOString(),
    lastModified: s.updatedAt.toISOString(),
  };
}

/**
 * Settlement batches (reference §2.6; ADR 0017): on T + settlementDelayDays (IST calendar days on
 * the sandbox clock), every captured payment not yet settled, less split shares, refunds, MDR and
 * GST on MDR and the previous carry-forward, is paid to the merchant's bank account; each split
 * account gets its shares. A batch runs under a per-company advisory lock and a unique key on
 * (company, date, beneficiary), and each payment and refund is marked settled in the same
 * transaction, so two processes running the same batch settle everything once.
 */
export function createSettlementsService(deps: SettlementsDeps) {
  const { db, clock, timers, ledger, events, bankTransfer, logger } = deps;
  const settingsFor = deps.settingsFor ?? (async (_exec: Executor, companyId: string) => defaultGatewaySettings(companyId));
  const impsMaxPaise = deps.impsMaxPaise ?? DEFAULT_LIMITS.impsMaxPaise;

  // The batch timers this process has seen committed (ADR 0028): a timer's insert does nothing when
  // its (company, dedupe key) exists, and a timer row is never deleted, so once one has committed
  // every later schedule of it is skipped without a statement. Learnt only after the commit
  // (`afterCommit`): a capture that rolls back leaves nothing remembered.
  const scheduled = new Set<string>();
  const SCHEDULED_LIMIT = 100_000;
  async function scheduleBatch(tx: Executor, companyId: string, batchDate: string): Promise<void> {
    const dedupeKey = `${SETTLEMENT_TIMER}:${batchDate}`;
    const key = `${companyId}\u0000${dedupeKey}`;
    if (scheduled.has(key)) return;
    await timers.schedule(tx, { companyId, dueAt: batchRunAt(batchDate), kind: SETTLEMENT_TIMER, payload: { batchDate }, dedupeKey });
    afterCommit(tx, () => {
      if (scheduled.size >= SCHEDULED_LIMIT) scheduled.clear();
      scheduled.add(key);
    });
  }

  /** Creates the batch of `batchDate` (once) and its ledger transaction; returns whether it made one. */
  async function createBatch(companyId: string, batchDate: string): Promise<boolean> {
    return withTransaction(db, async (tx) => {
      await repo.lockCompanySettlements(tx, companyId);
      if (await repo.batchExists(tx, companyId, batchDate)) return false;
      const settings = await settingsFor(tx, companyId);
      const cutoff = batchCutoff(batchDate, settings.settlementDelayDays);
      const now = await clock.now(companyId, tx);
      const payments = (await repo.lockDuePayments(tx, companyId, cutoff)).map((p) => ({
        transactionId: p.id,
        amountPaise: p.amountPaise,
        mdrPaise: p.mdrPaise,
        mdrGstPaise: p.mdrGstPaise,
        splits: fromStoredSplit(p.splitDetails),
      }));
      const refunds = (await repo.lockDueRefunds(tx, companyId, now)).map((r) => ({
        refundId: r.id,
        amountPaise: r.amountPaise,
        paymentSettledEarlier: r.paymentSettledEarlier,
      }));
      if (payments.length === 0 && refunds.length === 0) return false;
      const computation = computeSettlement(payments, refunds, await repo.latestCarryForward(tx, companyId));
      const m = computation.merchant;
      // The merchant's account in its gateway settings (a sandbox test account until it names one).
      const merchantAccount = settings.settlementAccount;
      const merchantId = gatewayId('STL', now);
      const base = {
        companyId,
        batchDate,
        cutoffAt: cutoff,
        transferMode: null,
        utr: null,
        failureReason: null,
        payoutLedgerTransactionId: null,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insertSettlement(tx, {
        ...base,
        id: merchantId,
        beneficiary: MERCHANT,
        ...m,
        transactionCount: payments.length,
        refundCount: refunds.length,
        // A batch with nothing to pay (all of it carried forward or routed to splits) is closed at once.
        payoutStatus: m.totalSettlementPaise > 0n ? 'INIT' : 'SUCCESS',
        accountNumber: merchantAccount.accountNumber,
        ifsc: merchantAccount.ifsc,
      });
      const lines: repo.SettlementLineRow[] = [
        ...payments.map((p) => ({
          companyId,
          settlementId: merchantId,
          beneficiary: MERCHANT,
          kind: 'PAYMENT',
          referenceId: p.transactionId,
          amountPaise: p.amountPaise,
          mdrPaise: p.mdrPaise,
          mdrGstPaise: p.mdrGstPaise,
        })),
        ...refunds.map((r) => ({
          companyId,
          settlementId: merchantId,
          beneficiary: MERCHANT,
          kind: 'REFUND',
          referenceId: r.refundId,
          amountPaise: r.amountPaise,
          mdrPaise: 0n,
          mdrGstPaise: 0n,
        })),
      ];
      // Shares go to the account they were assigned to, even if it was deactivated since.
      const accounts = new Map((await findAccounts(tx, companyId, [...computation.shares.keys()])).map((a) => [a.id, a]));
      for (const [accountId, share] of computation.shares) {
        const account = accounts.get(accountId);
        if (!account) throw new Error(`split account ${accountId} of company ${companyId} does not exist`);
        const id = gatewayId('STL', now);
        const count = payments.filter((p) => p.splits.some((s) => s.accountId === accountId)).length;
        await repo.insertSettlement(tx, {
          ...base,
          id,
          beneficiary: accountId,
          totalSalePaise: share,
          splitPaise: 0n,
          totalRefundPaise: 0n,
          refundChargebackPaise: 0n,
          totalChargesPaise: 0n,
          totalGstPaise: 0n,
          adjustmentPaise: 0n,
          carryForwardPaise: 0n,
          totalSettlementPaise: share,
          transactionCount: count,
          refundCount: 0,
          payoutStatus: 'INIT',
          accountNumber: account.accountNumber,
          ifsc: account.ifsc,
        });
        for (const p of payments) {
          const s = p.splits.find((x) => x.accountId === accountId);
          if (s)
            lines.push({
              companyId,
              settlementId: id,
              beneficiary: accountId,
              kind: 'SPLIT_SHARE',
              referenceId: p.transactionId,
              amountPaise: s.amountPaise,
              mdrPaise: 0n,
              mdrGstPaise: 0n,
            });
        }
      }
      await repo.insertLines(tx, lines);
      await repo.markPaymentsSettled(
        tx,
        companyId,
        payments.map((p) => p.transactionId),
        merchantId,
      );
      await repo.markRefundsSettled(
        tx,
        companyId,
        refunds.map((r) => r.refundId),
        merchantId,
      );
      const postings = settlementPostings(computation);
      if (postings.length > 0) {
        await ledger.post(tx, companyId, {
          code: 'settlement',
          referenceType: 'gateway_settlement',
          referenceId: merchantId,
          description: `Settlement batch ${batchDate}`,
          postings,
        });
      }
      logger.info({ companyId, batchDate, settlementId: merchantId, payments: payments.length, refunds: refunds.length }, 'gateway settlement batch created');
      return true;
    });
  }

  /** Records a payout's outcome once (the row is locked): SUCCESS with its UTR, or FAILED with the money back. */
  async function recordOutcome(
    companyId: string,
    settlementId: string,
    outcome: { status: 'SUCCESS' | 'FAILED'; utr?: string | undefined; reason?: string | undefined },
  ): Promise<void> {
    await withTransaction(db, async (tx) => {
      const s = await repo.findSettlement(tx, companyId, settlementId, true);
      if (!s) return false;
      // A bank may return a payout it had credited (reversed): that too ends FAILED.
      const open = s.payoutStatus === 'PROCESSING' || (s.payoutStatus === 'SUCCESS' && outcome.status === 'FAILED' && s.payoutLedgerTransactionId !== null);
      if (!open || s.payoutStatus === outcome.status) return false;
      const now = await clock.now(companyId, tx);
      if (outcome.status === 'FAILED' && s.payoutLedgerTransactionId) {
        await ledger.reverse(tx, companyId, s.payoutLedgerTransactionId, { reason: `Settlement payout ${s.id} failed` });
      }
      const updated = await repo.updateSettlement(tx, companyId, s.id, {
        payoutStatus: outcome.status,
        utr: outcome.utr ?? s.utr,
        failureReason: outcome.status === 'FAILED' ? (outcome.reason ?? 'payout_failed') : null,
        updatedAt: now,
      });
      await events.publish(tx, companyId, {
        type: outcome.status === 'SUCCESS' ? SETTLEMENT_SUCCESS.type : SETTLEMENT_FAILED.type,
        payload: wireSettlement(updated),
      });
      return true;
    });
  }

  /** Sends one INIT settlement to its bank account: the money leaves in one transaction, the rail is called after it. */
  async function payout(companyId: string, settlementId: string): Promise<void> {
    const sent = await withTransaction(db, async (tx) => {
      const s = await repo.findSettlement(tx, companyId, settlementId, true);
      if (!s || s.payoutStatus !== 'INIT') return null;
      const from = s.beneficiary === MERCHANT ? 'merchant_available' : `split_payable:${s.beneficiary}`;
      const posted = await ledger.post(tx, companyId, {
        code: 'payout',
        referenceType: 'gateway_settlement_payout',
        referenceId: s.id,
        postings: [
          { account: from, direction: 'debit', amount: s.totalSettlementPaise },
          { account: 'clearing:bank_transfer', direction: 'credit', amount: s.totalSettlementPaise },
        ],
      });
      const mode = payoutMode(s.totalSettlementPaise, impsMaxPaise);
      return repo.updateSettlement(tx, companyId, s.id, {
        payoutStatus: 'PROCESSING',
        transferMode: mode,
        payoutLedgerTransactionId: posted.id,
        updatedAt: await clock.now(companyId, tx),
      });
    });
    if (!sent) return;
    const result = await bankTransfer.transfer(
      { companyId, attemptRef: sent.id, replyTo: SETTLEMENT_REPLY_TO, exec: db },
      {
        mode: sent.transferMode as 'IMPS' | 'RTGS',
        amountPaise: sent.totalSettlementPaise,
        beneficiary: { accountNumber: sent.accountNumber, ifsc: sent.ifsc },
        remark: `Settlement ${sent.batchDate}`,
      },
    );
    if (result.status === 'succeeded') await recordOutcome(companyId, sent.id, { status: 'SUCCESS', utr: result.utr });
    else if (result.status === 'failed' || result.status === 'rejected')
      await recordOutcome(companyId, sent.id, { status: 'FAILED', utr: result.utr, reason: result.reasonCode ?? result.rejectCode });
    else if (result.utr) await withTransaction(db, (tx) => repo.updateSettlement(tx, companyId, sent.id, { utr: result.utr! }));
  }

  /**
   * Runs the batch of `batchDate`: creates it unless it exists (the timer at 10:00 IST, or
   * `tijori settlement run`), then sends its payouts. Safe to start in several processes at once.
   * @returns whether this run created the batch (false: it existed, or nothing was due)
   */
  async function runBatch(companyId: string, batchDate: string): Promise<{ created: boolean }> {
    const created = await createBatch(companyId, batchDate);
    // Also pays what an earlier run created but did not send (a process that died in between).
    for (const id of await repo.listInitSettlements(db, companyId)) await payout(companyId, id);
    return { created };
  }

  timers.register<{ batchDate: string }>(SETTLEMENT_TIMER, async (timer: Timer<{ batchDate: string }>) => {
    await runBatch(timer.companyId, timer.payload.batchDate);
  });

  bankTransfer.onOutcome(SETTLEMENT_REPLY_TO, async (event: RailOutcomeEvent) => {
    if (event.status === 'succeeded') await recordOutcome(event.companyId, event.attemptRef, { status: 'SUCCESS', utr: event.reference });
    else if (event.status === 'failed' || event.status === 'reversed' || event.status === 'declined') {
      await recordOutcome(event.companyId, event.attemptRef, { status: 'FAILED', utr: event.reference, reason: event.reasonCode });
    }
  });

  return {
    runBatch,

    /** Schedules the batch that settles a payment captured now (G2's capture listener calls it in its transaction). */
    async scheduleForCapture(tx: Executor, companyId: string, capturedAt: Date): Promise<void> {
      const settings = await settingsFor(tx, companyId);
      await scheduleBatch(tx, companyId, batchDateForCapture(capturedAt, settings.settlementDelayDays));
    },

    /** Schedules the next batch after a refund succeeded, so it is deducted even if no payment follows. */
    async scheduleForRefund(tx: Executor, companyId: string, completedAt: Date): Promise<void> {
      await scheduleBatch(tx, companyId, nextBatchDate(completedAt));
    },

    async get(companyId: string, settlementId: string): Promise<repo.SettlementRow> {
      const s = await repo.findSettlement(db, companyId, settlementId);
      if (!s) throw new SettlementNotFoundError(`No settlement payout ${settlementId}`, { param: 'settlementPayoutId' });
      return s;
    },

    search: (companyId: string, search: SettlementSearch) => repo.searchSettlements(db, companyId, search, search),
  };
}
