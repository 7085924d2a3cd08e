import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import { LedgerInsufficientFundsError } from '../../core/ledger/index.js';
import { parseRupees } from '../../core/money/index.js';
import type { Beneficiary as RailBeneficiary, TransferMode } from '../../rails/bank-transfer/index.js';
import { formatScenario, type Scenario } from '../../rails/index.js';
import type { ChecksumSetting, Complete, PayoutContext, PayoutKit, PayoutsDeps, TransferInput } from './context.js';
import { PayoutTransactionExistsError } from './errors.js';
import {
  MIN_TRANSFER_PAISE,
  REMARK_PATTERN,
  TRANSACTION_ID_PATTERN,
  checkBeneficiaryFields,
  fundSourceIdOf,
  isTransferMode,
  transferChecksumFields,
  type ChecksumVerdict,
  type Rejection,
  type Transfer,
  type TransferStatus,
} from './model.js';
import * as repo from './repository.js';

// Transfers (reference §3 "Initiate Transfer", "Search"): the rules a request must meet, the rail
// call and the ledger, and the steps a batch's transfers share (batches.ts).

/** The listener name of payout outcomes on the bank-transfer rail. */
export const OUTCOME_LISTENER = 'payouts.transfers';

/** The answer to a transfer request: a recorded attempt (any status), or the balance was short (nothing recorded). */
export type TransferOutcome =
  { kind: 'transfer'; transfer: Transfer; checksum: ChecksumVerdict | null } | { kind: 'insufficient_balance'; checksum: ChecksumVerdict | null };

export type TransferDraft = Omit<Transfer, 'id' | 'status' | 'createdAt' | 'updatedAt'>;

export interface PrepareOptions {
  tx: Executor;
  ctx: PayoutContext;
  input: TransferInput;
  amountPaise: bigint;
  checksum: ChecksumVerdict | null;
  setting: ChecksumSetting;
}

export interface SendOptions {
  tx: Executor;
  /** A new transfer (PROCESSING, not yet stored) or a stored batch transfer (PENDING, locked by the caller). */
  transfer: Transfer;
  stored: boolean;
  scenario: Scenario | undefined;
  /** The sandbox instant of this transaction, read once by the caller. */
  now: Date;
}

export interface SendResult {
  transfer: Transfer;
  eventId: string;
  duplicate: boolean;
}

const upperSnake = (code: string | undefined, fallback: string) => (code ?? fallback).toUpperCase();

/** The columns of a transfer that change after it is recorded. */
export function stateOf(t: Transfer): repo.TransferPatch {
  return {
    status: t.status,
    statusCode: t.statusCode,
    statusMessage: t.statusMessage,
    utr: t.utr,
    holdId: t.holdId,
    lastOutcomeSequence: t.lastOutcomeSequence,
    updatedAt: t.updatedAt,
  };
}

export function newTransfer(options: { draft: TransferDraft; status: TransferStatus; now: Date; rejection: Rejection | null }): Transfer {
  const { draft, status, now, rejection } = options;
  return {
    ...draft,
    id: newId('po'),
    status,
    ...(rejection ? { statusCode: rejection.code, statusMessage: rejection.message } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

function destinationOf(t: Transfer): RailBeneficiary {
  return t.vpa !== null ? { vpa: t.vpa } : { accountNumber: t.accountNumber!, ifsc: t.ifsc! };
}

export function createTransferSteps({ deps, kit }: { deps: PayoutsDeps; kit: PayoutKit }) {
  const { ledger, bankTransfer } = deps;

  /** 409 payout_transaction_exists when another attempt that is not REJECTED holds the transactionId. */
  async function assertTransactionIdFree(tx: Executor, options: { companyId: string; transactionId: string; param?: string }): Promise<void> {
    if (await repo.transactionIdInUse(tx, options)) {
      throw new PayoutTransactionExistsError(`transactionId ${options.transactionId} already exists`, { param: options.param ?? 'transactionId' });
    }
  }

  /**
   * The rules a transfer request must meet before anything is sent, in EnKash's reject codes. The
   * bank-transfer rail applies the mode's own rules (limits, VPA vs account, IFSC) when it is sent.
   */
  async function prepare({ tx, ctx, input, amountPaise, checksum, setting }: PrepareOptions): Promise<{ draft: TransferDraft; rejection: Rejection | null }> {
    const draft: TransferDraft = {
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
    if (setting.mode === 'strict' && checksum !== 'valid')
      return reject('REJECT_CHKSUM', checksum === 'missing' ? 'The checksum is missing' : 'Invalid checksum in the request');
    if (!TRANSACTION_ID_PATTERN.test(input.transactionId)) return reject('REJECT_TXN_ID', 'transactionId must be 1 to 50 letters, digits, - or _');
    if (input.beneficiaryId !== undefined && input.beneficiaryDetail !== undefined) {
      return reject('REJECT_BENEF_DET_ID', 'Send beneficiaryId or beneficiaryDetail, not both');
    }
    if (input.beneficiaryDetail !== undefined) {
      const checked = checkBeneficiaryFields(input.beneficiaryDetail);
      if (!checked.ok) return reject(checked.rejection.code, checked.rejection.message);
      Object.assign(draft, 'vpa' in checked.destination ? { vpa: checked.destination.vpa } : checked.destination);
    } else if (input.beneficiaryId !== undefined) {
      const b = await repo.findBeneficiaryDestination(tx, { companyId: ctx.companyId, beneficiaryId: input.beneficiaryId });
      if (!b) return reject('REJECT_BENEF_ID', `No beneficiary ${input.beneficiaryId}`);
      Object.assign(draft, b);
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

  /**
   * Sends an accepted transfer to the bank and applies the immediate answer, all in `tx`: the
   * simulated rail schedules its later outcomes on `tx` (RailCall allows this for a rail without
   * network I/O), so the call, the money and the status commit together or not at all (ADR 0014).
   * Money moves only after the rail accepted: a rail rejection touches no ledger row, and a short
   * float throws ledger_insufficient_funds, which rolls everything back, scheduled outcomes included.
   *
   * A new transfer is stored once, in its final state. Its transactionId is guarded by the partial
   * unique index (uq_payout_transfers_company_transaction), so the IMPS hot path reads nothing to
   * check it; the paths that store a REJECTED row (which the index does not cover) or that place a
   * hold before storing ask first, so that a used transactionId is always a 409 (before a short
   * float), as it was when the check came first.
   */
  async function send({ tx, transfer: t, stored, scenario, now }: SendOptions): Promise<SendResult> {
    const result = await bankTransfer.transfer(
      { companyId: t.companyId, attemptRef: t.id, replyTo: OUTCOME_LISTENER, scenario, exec: tx },
      {
        mode: t.transferMode as TransferMode,
        amountPaise: t.amountPaise,
        beneficiary: destinationOf(t),
        ...(t.transferRemark ? { remark: t.transferRemark } : {}),
      },
    );
    const save = async (next: Transfer): Promise<Transfer> => {
      if (stored) await repo.updateTransfer(tx, { companyId: next.companyId, id: next.id, patch: stateOf(next) });
      else await repo.insertTransfer(tx, next);
      return next;
    };
    const guard = () => (stored ? Promise.resolve() : assertTransactionIdFree(tx, t));
    if (result.status === 'rejected') {
      await guard();
      const rejected = await save(
        kit.moved({
          transfer: t,
          to: 'REJECTED',
          patch: { statusCode: result.rejectCode ?? 'REJECT_TRF_MODE', statusMessage: result.reasonMessage ?? 'Rejected by the bank rules' },
          now,
        }),
      );
      return { transfer: rejected, eventId: await kit.publish(tx, rejected), duplicate: false };
    }
    if (result.status === 'succeeded') {
      // Credited at once: no hold to place and capture, one balanced transaction (the same one a
      // captured hold writes: code, reference and no description). The balance rows, the hot ones,
      // are updated last, so the float is locked only from its checked update to COMMIT.
      const done = await save(
        kit.moved({
          transfer: t,
          to: 'SUCCESS',
          patch: { utr: result.utr ?? null, statusCode: null, statusMessage: 'Transfer credited to the beneficiary' },
          now,
        }),
      );
      const eventId = await kit.publish(tx, done);
      await ledger.post(tx, t.companyId, {
        code: 'payout',
        referenceType: 'payout',
        referenceId: t.id,
        postings: [
          { account: 'payout_float', direction: 'debit', amount: t.amountPaise },
          { account: 'clearing:bank_transfer', direction: 'credit', amount: t.amountPaise },
        ],
      });
      return { transfer: done, eventId, duplicate: result.webhookDuplicate };
    }
    await guard();
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
    if (result.status === 'failed') {
      await ledger.voidHold(tx, t.companyId, hold.id);
      const reason = result.reasonCode ?? 'failed';
      next = kit.moved({
        transfer: t,
        to: 'FAILED',
        patch: {
          ...base,
          statusCode: upperSnake(result.reasonCode, 'failed'),
          statusMessage: `Transfer failed (${reason}); the amount is returned to the payout balance`,
        },
        now,
      });
    } else {
      const message = result.batchAt ? `Sent to the bank; NEFT batch at ${result.batchAt.toISOString()}` : 'Sent to the bank; awaiting its confirmation';
      next =
        t.status === 'PROCESSING'
          ? { ...t, ...base, statusMessage: message, updatedAt: now }
          : kit.moved({ transfer: t, to: 'PROCESSING', patch: { ...base, statusMessage: message }, now });
    }
    await save(next);
    return { transfer: next, eventId: await kit.publish(tx, next), duplicate: result.webhookDuplicate };
  }

  return { assertTransactionIdFree, prepare, send };
}

export type TransferSteps = ReturnType<typeof createTransferSteps>;

export function createTransferService({ deps, kit, steps }: { deps: PayoutsDeps; kit: PayoutKit; steps: TransferSteps }) {
  const { db, clocks } = deps;

  return {
    /**
     * "Initiate Transfer". One transaction: the rules (a broken one records a REJECTED attempt),
     * the rail call, the money and the immediate outcome, the webhook event and the
     * Idempotency-Key answer. A short float records nothing. Throws payout_transaction_exists
     * (409) and invalid_amount (400, a third decimal).
     */
    async createTransfer(ctx: PayoutContext, input: TransferInput, complete: Complete<TransferOutcome>): Promise<TransferOutcome> {
      const amountPaise = parseRupees(input.transferAmount, { field: 'transferAmount' });
      const setting = await kit.checksumSetting(ctx);
      const checksum = kit.judgeChecksum({ setting, presented: input.checksum, fields: transferChecksumFields(input, amountPaise) });
      let duplicate: string | null = null;
      try {
        const outcome = await withTransaction(db, async (tx): Promise<TransferOutcome> => {
          duplicate = null;
          const key = { companyId: ctx.companyId, transactionId: input.transactionId };
          // A scenario the rail does not support is refused by the rail: a used transactionId first.
          if (ctx.scenario !== undefined) await steps.assertTransactionIdFree(tx, key);
          const { draft, rejection } = await steps.prepare({ tx, ctx, input, amountPaise, checksum, setting });
          const now = await clocks.now(ctx.companyId, tx);
          let transfer: Transfer;
          if (rejection) {
            await steps.assertTransactionIdFree(tx, key);
            transfer = newTransfer({ draft, status: 'REJECTED', now, rejection });
            await repo.insertTransfer(tx, transfer);
            await kit.publish(tx, transfer);
          } else {
            // PROCESSING from the start: a single transfer is never PENDING (reference §3).
            const sent = await steps.send({
              tx,
              transfer: newTransfer({ draft, status: 'PROCESSING', now, rejection: null }),
              stored: false,
              scenario: ctx.scenario,
              now,
            });
            transfer = sent.transfer;
            if (sent.duplicate) duplicate = sent.eventId;
          }
          const result: TransferOutcome = { kind: 'transfer', transfer, checksum };
          await complete(tx, result);
          return result;
        });
        await kit.afterCommit({ companyId: ctx.companyId, duplicateEventId: duplicate });
        return outcome;
      } catch (err) {
        if (!(err instanceof LedgerInsufficientFundsError)) throw err;
        return { kind: 'insufficient_balance', checksum };
      }
    },

    searchTransfers: (companyId: string, filters: repo.TransferFilters, page: PageRequest) => repo.searchTransfers(db, companyId, filters, page),
  };
}
