import type { Logger } from 'pino';
import type { OAuthClient } from '../../auth/identity/index.js';
import type { Executor } from '../../core/db/engine.js';
import type { EventsService } from '../../core/events/index.js';
import type { SandboxClock, Timers } from '../../core/jobs/types.js';
import { LedgerAccountNotFoundError, type Balance, type Ledger } from '../../core/ledger/index.js';
import type { BankTransferRail } from '../../rails/bank-transfer/index.js';
import type { Scenario } from '../../rails/index.js';
import type { RegistriesRail } from '../../rails/registries/index.js';
import { payoutEventPayload } from './events.js';
import { canMove, computeChecksum, verifyChecksum, type BeneficiaryFields, type ChecksumVerdict, type Transfer, type TransferStatus } from './model.js';
import type { TransferPatch } from './repository.js';

// What every part of the payouts service shares: its dependencies, the request context, and the
// few steps (checksum verdict, state move, event, float balance) that several parts take.

export interface PayoutsDeps {
  db: Executor;
  ledger: Ledger;
  // Publishing wakes the delivery worker after the commit by itself (events service), so payouts
  // never calls `wake`.
  events: Pick<EventsService, 'publish' | 'replayEvent'>;
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
  /**
   * Another product of Tijori asks on the company's behalf (the verification suite's penny drop),
   * not the client's own request: the client's request-checksum setting does not apply.
   */
  internal?: boolean | undefined;
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

/** The client's checksum setting (docs/api/payouts.md "Checksum"). */
export interface ChecksumSetting {
  mode: OAuthClient['payoutChecksum'];
  key: Buffer;
}

export interface PayoutKit {
  /** The setting of the client asking; `off` for an internal caller (PayoutContext.internal), with no read. */
  checksumSetting(ctx: PayoutContext): Promise<ChecksumSetting>;
  /** Verdict on a request checksum under the client's setting; null when the setting is off. */
  judgeChecksum(options: { setting: ChecksumSetting; presented: string | undefined; fields: readonly (string | undefined)[] }): ChecksumVerdict | null;
  /** Adds the transfer's webhook event to the outbox in `tx`; returns the event id. */
  publish(tx: Executor, transfer: Transfer): Promise<string>;
  /** `transfer` moved to `to` in memory, refused unless the TRANSITIONS table allows it. */
  moved(options: { transfer: Transfer; to: TransferStatus; patch: TransferPatch; now: Date }): Transfer;
  /** After the commit: deliver a `webhook_duplicate` outcome's webhook a second time (same webhook-id). */
  afterCommit(options: { companyId: string; duplicateEventId: string | null }): Promise<void>;
  /** The payout float's balance (now, or as of an instant); null when the company never loaded it. */
  floatBalance(options: { exec: Executor; companyId: string; asOf?: Date }): Promise<Balance | null>;
}

const INTERNAL_SETTING: ChecksumSetting = { mode: 'off', key: Buffer.alloc(0) };

export function createPayoutKit(deps: PayoutsDeps): PayoutKit {
  const { db, ledger, events, identity } = deps;
  // A ledger account id never changes once committed: remembered per company (read on `db` only,
  // so an id seen inside a transaction that may still roll back is never kept).
  const floatAccountIds = new Map<string, string>();

  return {
    async checksumSetting({ clientId, internal }) {
      if (internal) return INTERNAL_SETTING;
      const client = await identity.findClient(clientId);
      if (!client) throw new Error(`OAuth client ${clientId} of a valid token does not exist`);
      return { mode: client.payoutChecksum, key: client.payloadKey };
    },

    judgeChecksum({ setting, presented, fields }) {
      if (setting.mode === 'off') return null;
      return verifyChecksum(presented, computeChecksum(fields, setting.key));
    },

    async publish(tx, t) {
      const payload = payoutEventPayload(t);
      return (await events.publish(tx, t.companyId, { type: payload.event, payload })).eventId;
    },

    moved({ transfer, to, patch, now }) {
      if (!canMove(transfer.status, to)) throw new Error(`payout ${transfer.id}: ${transfer.status} → ${to} is not a transition`);
      return { ...transfer, ...patch, status: to, updatedAt: now };
    },

    async afterCommit({ companyId, duplicateEventId }) {
      if (duplicateEventId !== null) await events.replayEvent(companyId, duplicateEventId);
    },

    async floatBalance({ exec, companyId, asOf }) {
      try {
        let accountId = floatAccountIds.get(companyId);
        if (accountId === undefined) {
          accountId = (await ledger.getAccount(exec, companyId, 'payout_float')).id;
          if (exec === db) floatAccountIds.set(companyId, accountId);
        }
        return await ledger.balance(exec, companyId, accountId, asOf ? { asOf } : {});
      } catch (err) {
        // A company that never loaded its float has no account yet: its balance is zero.
        if (err instanceof LedgerAccountNotFoundError) return null;
        throw err;
      }
    },
  };
}
