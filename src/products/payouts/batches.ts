import { withTransaction } from '../../core/db/transaction.js';
import { newId } from '../../core/ids/ids.js';
import { LedgerInsufficientFundsError } from '../../core/ledger/index.js';
import { parseRupees } from '../../core/money/index.js';
import { parseScenario } from '../../rails/index.js';
import type { Complete, PayoutContext, PayoutKit, PayoutsDeps, TransferInput } from './context.js';
import { PayoutBatchInvalidError } from './errors.js';
import { TRANSACTION_ID_PATTERN, transferChecksumFields, type Batch, type Transfer } from './model.js';
import * as repo from './repository.js';
import { newTransfer, stateOf, type TransferSteps } from './transfers.js';

// Batches (reference §3 "Initiate Batch Transfer"): checked at once, sent by a sandbox timer.

/** The sandbox timer that sends a batch's PENDING transfers to the bank. */
export const BATCH_TIMER = 'payouts.batch';
/** At most this many transfers in one batch (INFERRED, docs/api/payouts.md). */
export const MAX_BATCH_TRANSFERS = 500;

export function createBatchService({ deps, kit, steps }: { deps: PayoutsDeps; kit: PayoutKit; steps: TransferSteps }) {
  const { db, clocks, timers } = deps;

  /** The sandbox timer of a batch: each PENDING transfer is sent in its own transaction, in order. */
  async function processBatch(companyId: string, batchTransactionId: string): Promise<void> {
    for (const id of await repo.pendingBatchTransferIds(db, companyId, batchTransactionId)) {
      let duplicate: string | null = null;
      try {
        duplicate = await withTransaction(db, async (tx) => {
          const t = await repo.lockTransfer(tx, companyId, id);
          if (!t || t.status !== 'PENDING') return null;
          const now = await clocks.now(companyId, tx);
          const sent = await steps.send({ tx, transfer: t, stored: true, scenario: t.scenario ? parseScenario(t.scenario) : undefined, now });
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
          const rejected = kit.moved({
            transfer: t,
            to: 'REJECTED',
            patch: { statusCode: 'REJECT_INSUFFICIENT_BALANCE', statusMessage: 'Insufficient balance in the payout account' },
            now,
          });
          await repo.updateTransfer(tx, { companyId, id, patch: stateOf(rejected) });
          await kit.publish(tx, rejected);
        });
      }
      await kit.afterCommit({ companyId, duplicateEventId: duplicate });
    }
  }

  timers.register<{ batchTransactionId: string }>(BATCH_TIMER, (timer) => processBatch(timer.companyId, timer.payload.batchTransactionId));

  return {
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
      if (!TRANSACTION_ID_PATTERN.test(input.batchTransactionId))
        throw new PayoutBatchInvalidError('batchTransactionId must be 1 to 50 letters, digits, - or _', { param: 'batchTransactionId' });
      if (input.transfers.length === 0 || input.transfers.length > MAX_BATCH_TRANSFERS) {
        throw new PayoutBatchInvalidError(`A batch holds 1 to ${MAX_BATCH_TRANSFERS} transfers`, { param: 'transfers' });
      }
      const ids = new Set<string>();
      for (const t of input.transfers) {
        if (ids.has(t.transactionId)) throw new PayoutBatchInvalidError(`transactionId ${t.transactionId} appears twice in the batch`, { param: 'transfers' });
        ids.add(t.transactionId);
      }
      const amounts = input.transfers.map((t, i) => parseRupees(t.transferAmount, { field: `transfers.${i}.transferAmount` }));
      const setting = await kit.checksumSetting(ctx);
      return withTransaction(db, async (tx) => {
        const now = await clocks.now(ctx.companyId, tx);
        const batch: Batch = {
          id: newId('pob'),
          companyId: ctx.companyId,
          batchTransactionId: input.batchTransactionId,
          transferCount: input.transfers.length,
          createdAt: now,
        };
        await repo.insertBatch(tx, batch);
        const transfers: Transfer[] = [];
        for (const [i, item] of input.transfers.entries()) {
          await steps.assertTransactionIdFree(tx, { companyId: ctx.companyId, transactionId: item.transactionId, param: `transfers.${i}.transactionId` });
          const amountPaise = amounts[i]!;
          const checksum = kit.judgeChecksum({ setting, presented: item.checksum, fields: transferChecksumFields(item, amountPaise) });
          const { draft, rejection } = await steps.prepare({ tx, ctx, input: item, amountPaise, checksum, setting });
          const transfer = newTransfer({
            draft: { ...draft, batchTransactionId: batch.batchTransactionId },
            status: rejection ? 'REJECTED' : 'PENDING',
            now,
            rejection,
          });
          await repo.insertTransfer(tx, transfer);
          await kit.publish(tx, transfer);
          transfers.push(transfer);
        }
        if (transfers.some((t) => t.status === 'PENDING')) {
          await timers.schedule(tx, {
            companyId: ctx.companyId,
            dueAt: now,
            kind: BATCH_TIMER,
            payload: { batchTransactionId: batch.batchTransactionId },
            dedupeKey: `payouts.batch:${batch.id}`,
          });
        }
        const out = { batch, transfers };
        await complete(tx, out);
        return out;
      });
    },
  };
}
