import type { Executor } from '../../core/db/engine.js';
import type { Timers } from '../../core/jobs/types.js';
import type { Scenario } from '../../rails/index.js';
import { assertSupported } from '../../rails/scenario.js';
import type { Gateway, Order, Payment } from '../gateway/index.js';
import type { RefundsService } from '../gateway/refunds/index.js';
import { GatewayMerchantRequiredError, InvalidNameError } from './errors.js';
import type { CheckRequest, NameMatchBlock, VerificationCheck } from './model.js';
import { prepareName } from './name-match.js';
import * as repo from './repository.js';
import { normalizeCheckVpa } from './vpa.js';

/**
 * The reverse penny drop (issue 20 part 5; ADR 0042): a ₹1.00 UPI collect from the payer's VPA on
 * the gateway's UPI rail, through the gateway's own order and payment owners (an order of origin
 * VERIFICATION: the gateway writes its tables, the ledger and its notify). The check is written
 * PENDING in the order's transaction. When the payer pays, the capture schedules a refund of the
 * rupee at once through the refund owner, and the refund's own transaction ends the check VALID
 * with the payer's name, masked account and IFSC, and publishes VERIFICATION_COMPLETED. A collect
 * the payer declines or lets expire ends the check FAILED in the failing transaction, with its
 * webhook.
 */
export const REVERSE_AMOUNT_PAISE = 100n;
export const REVERSE_REFUND_TIMER = 'verification.reverse_refund';

/** The bank accounts behind the sandbox's payer VPAs (the UPI rail names no account); any other payer has the default. */
const PAYER_ACCOUNTS: Readonly<Record<string, { accountNumber: string; ifsc: string }>> = {
  'success@enkash': { accountNumber: '100000000001', ifsc: 'HDFC0000001' },
  'slow@enkash': { accountNumber: '100000000009', ifsc: 'ICIC0000001' },
};
const DEFAULT_PAYER_ACCOUNT = { accountNumber: '500100012345', ifsc: 'SBIN0000001' };
export const payerAccountOf = (vpa: string) => PAYER_ACCOUNTS[vpa] ?? DEFAULT_PAYER_ACCOUNT;
const mask = (accountNumber: string) => `${'X'.repeat(accountNumber.length - 4)}${accountNumber.slice(-4)}`;

export interface ReverseKit {
  db: Executor;
  timers: Timers;
  gateway: Pick<Gateway, 'orders' | 'payments'>;
  refunds: Pick<RefundsService, 'create'>;
  /** Whether the company has an active gateway merchant key (the collect's notify and checksum need one). */
  isGatewayMerchant(companyId: string): Promise<boolean>;
  now(companyId: string): Promise<Date>;
  draft(request: CheckRequest, input: { masked: string; hash: string; name: string | null }, now: Date): VerificationCheck;
  digest(normalised: string, name: string | null): string;
  record(exec: Executor, check: VerificationCheck): Promise<{ check: VerificationCheck; replayed: boolean }>;
  nameMatchOf(exec: Executor, companyId: string, name: string | null, nameOnRecord: string | null): Promise<NameMatchBlock | null>;
  /** Ends a PENDING check in the caller's transaction and publishes VERIFICATION_COMPLETED; null when it had ended. */
  end(
    tx: Executor,
    check: VerificationCheck,
    end: { status: 'VALID' | 'FAILED'; result: Record<string, unknown>; nameMatch: NameMatchBlock | null; message: string },
  ): Promise<VerificationCheck | null>;
}

class Replayed extends Error {
  constructor(readonly recorded: { check: VerificationCheck; replayed: boolean }) {
    super('the referenceId was recorded by a concurrent request');
  }
}

export function createReversePennyDrop(kit: ReverseKit) {
  const { db, gateway } = kit;

  async function checkOf(tx: Executor, order: Order): Promise<VerificationCheck | null> {
    const check = order.originId === null ? null : await repo.findCheck(tx, order.companyId, order.originId);
    return check?.status === 'PENDING' ? check : null;
  }

  // The rupee arrived: the refund is made at once, after the capture commits (the refund owner locks the captured payment).
  gateway.payments.onCaptured(async (tx: Executor, payment: Payment, order: Order) => {
    const check = await checkOf(tx, order);
    if (!check) return;
    await kit.timers.schedule(tx, {
      companyId: check.companyId,
      dueAt: payment.capturedAt!,
      kind: REVERSE_REFUND_TIMER,
      payload: { id: check.id, transactionId: payment.id },
      dedupeKey: `${check.id}@refund`,
    });
  }, 'VERIFICATION');

  // Declined or expired: the check ends FAILED with the attempt, in its transaction.
  gateway.payments.onFailed(async (tx: Executor, payment: Payment, order: Order) => {
    const check = await checkOf(tx, order);
    if (!check) return;
    const reason = /expir/i.test(`${payment.resultCode} ${payment.txnMsg}`) ? 'collect_expired' : 'collect_declined';
    await kit.end(tx, check, {
      status: 'FAILED',
      result: { ...(check.result ?? {}), transactionId: payment.id, reasonCode: reason, paymentStatus: payment.status },
      nameMatch: null,
      message: reason === 'collect_expired' ? 'The payer did not pay the ₹1.00 collect before it expired' : 'The payer declined the ₹1.00 collect',
    });
  }, 'VERIFICATION');

  kit.timers.register<{ id: string; transactionId: string }>(REVERSE_REFUND_TIMER, async (timer) => {
    const check = await repo.findCheck(db, timer.companyId, timer.payload.id);
    if (check?.status !== 'PENDING') return;
    const { payment } = await gateway.payments.get(timer.companyId, timer.payload.transactionId);
    const payerVpa = payment.vpa ?? String(check.result?.['payerVpa']);
    const payerName = (await gateway.payments.verifyVpa(payerVpa)).name ?? null;
    const account = payerAccountOf(payerVpa);
    const nameMatch = await kit.nameMatchOf(db, check.companyId, check.name, payerName);
    await kit.refunds.create(
      check.companyId,
      payment.id,
      { requestId: `RPD-${check.id}`, amountPaise: REVERSE_AMOUNT_PAISE, remarks: 'Reverse penny drop: the rupee returned' },
      {
        complete: async (tx, refund) => {
          await kit.end(tx, check, {
            status: 'VALID',
            result: {
              ...(check.result ?? {}),
              transactionId: payment.id,
              rrn: payment.bankTransactionId,
              payerName,
              maskedAccountNumber: mask(account.accountNumber),
              ifsc: account.ifsc,
              refundTransactionId: refund.id,
              refundStatus: refund.status,
            },
            nameMatch,
            message: 'The payer paid ₹1.00 from the account; the rupee is refunded',
          });
        },
      },
    );
  });

  /** Records the check PENDING with its order, then sends the collect. @throws invalid_rail_input, invalid_name, verification_reference_conflict */
  async function verify(body: { payerVpa: string; name: string | null }, request: CheckRequest & { scenario: Scenario | undefined }) {
    if (body.name !== null && prepareName(body.name).tokens.length === 0) {
      throw new InvalidNameError('Invalid field name: no name left once honorifics are dropped', { param: 'name' });
    }
    // The test VPA decides the payer's answer; a scenario refused by the rail after the order is made would leave it behind.
    assertSupported(request.scenario, ['succeed'], 'the reverse penny drop (the payer VPA decides)');
    const payerVpa = normalizeCheckVpa(body.payerVpa, 'payerVpa');
    const hash = kit.digest(payerVpa, body.name);
    const input = { masked: payerVpa, hash, name: body.name };
    // A used referenceId replays (or conflicts) before any order: the insert conflicts and the first check is read.
    const first = await repo.findCheckByReference(db, request.companyId, request.referenceId);
    if (first) return kit.record(db, kit.draft(request, input, first.createdAt));
    if (!(await kit.isGatewayMerchant(request.companyId))) {
      throw new GatewayMerchantRequiredError('The company is not a Payment Gateway merchant: a reverse penny drop is a ₹1.00 gateway UPI payment');
    }
    const draft = kit.draft(request, input, await kit.now(request.companyId));
    let recorded: { check: VerificationCheck; replayed: boolean };
    try {
      const order = await gateway.orders.create(
        request.companyId,
        null,
        { merchantOrderId: draft.id, amountPaise: REVERSE_AMOUNT_PAISE, description: 'Reverse penny drop', origin: { kind: 'VERIFICATION', id: draft.id } },
        async (tx, created) => {
          const r = await kit.record(tx, {
            ...draft,
            result: { payerVpa, amount: '1.00', orderId: created.id },
            message: 'A ₹1.00 UPI collect was sent to the payer; the check ends when they pay or the collect expires',
          });
          if (r.replayed) throw new Replayed(r);
          recorded = r;
        },
      );
      await gateway.payments.submit(request.companyId, order, { paymentMode: 'UPI', vpa: payerVpa }, { scenario: request.scenario });
    } catch (err) {
      if (err instanceof Replayed) return err.recorded;
      throw err;
    }
    // The payer's immediate answer, if any, may have ended the check already.
    return { check: (await repo.findCheck(db, request.companyId, recorded!.check.id)) ?? recorded!.check, replayed: false };
  }

  return { verify };
}
