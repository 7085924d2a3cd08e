import { withTransaction } from '../../core/db/transaction.js';
import type { RailOutcomeEvent } from '../../rails/index.js';
import type { PayoutKit, PayoutsDeps } from './context.js';
import type { Transfer } from './model.js';
import * as repo from './repository.js';
import { OUTCOME_LISTENER, stateOf } from './transfers.js';

const upperSnake = (code: string | undefined, fallback: string) => (code ?? fallback).toUpperCase();

/**
 * Listens for the bank's later outcomes (NEFT batch, delayed credit or failure, reversal): at
 * least once, in sequence; an outcome already applied, or one that does not fit the transfer's
 * status, changes nothing but the sequence seen.
 */
export function listenForOutcomes({ deps, kit }: { deps: PayoutsDeps; kit: PayoutKit }): void {
  const { db, ledger, bankTransfer, logger } = deps;

  async function onOutcome(e: RailOutcomeEvent): Promise<void> {
    const duplicate = await withTransaction(db, async (tx) => {
      const t = await repo.lockTransfer(tx, e.companyId, e.attemptRef);
      if (!t || e.sequence <= t.lastOutcomeSequence) return null;
      const now = e.occurredAt;
      const seen = { lastOutcomeSequence: e.sequence };
      let next: Transfer;
      if (e.status === 'succeeded' && t.status === 'PROCESSING') {
        await ledger.captureHold(tx, t.companyId, t.holdId!);
        next = kit.moved({
          transfer: t,
          to: 'SUCCESS',
          patch: { ...seen, utr: e.reference ?? t.utr, statusCode: null, statusMessage: 'Transfer credited to the beneficiary' },
          now,
        });
      } else if ((e.status === 'failed' || e.status === 'declined') && t.status === 'PROCESSING') {
        await ledger.voidHold(tx, t.companyId, t.holdId!);
        const reason = e.reasonCode ?? 'failed';
        next = kit.moved({
          transfer: t,
          to: 'FAILED',
          patch: {
            ...seen,
            statusCode: upperSnake(reason, 'failed'),
            statusMessage: `Transfer failed (${reason}); the amount is returned to the payout balance`,
          },
          now,
        });
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
        next = kit.moved({
          transfer: t,
          to: 'REVERSED',
          patch: {
            ...seen,
            statusCode: upperSnake(reason, reason),
            statusMessage: `Returned by the beneficiary bank (${reason}); the amount is back in the payout balance`,
          },
          now,
        });
      } else {
        logger.warn(
          { payout: t.id, status: t.status, outcome: e.status, sequence: e.sequence },
          "payout outcome does not apply to the transfer's status; recorded and ignored",
        );
        await repo.updateTransfer(tx, { companyId: t.companyId, id: t.id, patch: seen });
        return null;
      }
      await repo.updateTransfer(tx, { companyId: t.companyId, id: t.id, patch: stateOf(next) });
      const eventId = await kit.publish(tx, next);
      return e.webhookDuplicate ? eventId : null;
    });
    await kit.afterCommit({ companyId: e.companyId, duplicateEventId: duplicate });
  }

  bankTransfer.onOutcome(OUTCOME_LISTENER, onOutcome);
}
