import type { Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import { RailInputError } from '../../rails/errors.js';
import { parseScenario, type Scenario } from '../../rails/index.js';
import { bankAccountHolder, normalizeIfsc, type BankAccountRecord, type IfscDetails } from '../../rails/registries/index.js';
import type { PayoutsService } from '../payouts/index.js';
import type { Outcome } from './checks.js';
import { InsufficientBalanceError } from './errors.js';
import type { CheckRequest, NameMatchBlock, VerificationCheck } from './model.js';
import { prepareName } from './name-match.js';
import * as repo from './repository.js';

/**
 * The bank-account check (issue 20 part 5; reference §14 `POST /api/v0/pennyDrop`, CONFIRMED): the
 * IFSC first, then a real ₹1.00 IMPS payout from the company's payout balance through the payouts
 * product's own API (it writes its tables, the ledger and its PAYOUT_* webhook), whose outcome
 * decides the answer; the name comes from the sandbox's bank-account holders. `pennyLess` asks the
 * bank without moving money. A transfer the bank has not answered leaves the check PENDING; a
 * sandbox timer looks again every minute and ends it with a VERIFICATION_COMPLETED webhook.
 */
export const PENNY_DROP_RUPEES = 1;
export const PENNY_POLL_MS = 60_000;
export const PENNY_TIMER = 'verification.penny_drop';
const ACCOUNT_NUMBER = /^[0-9]{6,18}$/;

/** The frozen and NRE accounts refuse the credit: the bank-transfer rail is told so by the scenario of the transfer. */
const REFUSING: Partial<Record<BankAccountRecord['status'], string>> = { FROZEN: 'fail:account_frozen', NRE: 'fail:nre_account' };

export interface PennyDropKit {
  db: Executor;
  payouts: Pick<PayoutsService, 'createTransfer' | 'searchTransfers'>;
  now(companyId: string): Promise<Date>;
  draft(request: CheckRequest, input: { masked: string; hash: string; name: string | null }, now: Date): VerificationCheck;
  digest(normalised: string, name: string | null): string;
  record(exec: Executor, check: VerificationCheck): Promise<Recorded>;
  nameMatchOf(exec: Executor, companyId: string, name: string | null, nameOnRecord: string | null): Promise<NameMatchBlock | null>;
  /** Ends a PENDING check (conditional update) and publishes its webhook when `notify`; null when it had ended already. */
  complete(
    check: VerificationCheck,
    outcome: Extract<Outcome, { kind: 'done' }>,
    nameMatch: NameMatchBlock | null,
    options: { notify: boolean },
  ): Promise<VerificationCheck | null>;
  schedule(tx: Executor, check: VerificationCheck, dueAt: Date): Promise<void>;
  lookupIfsc(ifsc: string): Promise<IfscDetails | null>;
}

type Recorded = { check: VerificationCheck; replayed: boolean };

/** Thrown in the payout's transaction when another request recorded the referenceId first: the payout rolls back. */
class Replayed extends Error {
  constructor(readonly recorded: Recorded) {
    super('the referenceId was recorded by a concurrent request');
  }
}

interface Transferred {
  status: string;
  utr: string | null;
  statusCode: string | null;
}

function outcomeOf(
  input: { accountNumber: string; ifsc: IfscDetails },
  holder: BankAccountRecord,
  transfer: Transferred | null,
): Extract<Outcome, { kind: 'done' }> {
  const credited = transfer === null ? holder.status === 'ACTIVE' : transfer.status === 'SUCCESS';
  const exists = holder.status !== 'INVALID';
  const base = {
    accountNumber: input.accountNumber,
    ifsc: input.ifsc.ifsc,
    bank: input.ifsc.bank,
    branch: input.ifsc.branch,
    accountExists: exists,
    accountStatus: holder.status,
    nameAtBank: exists ? holder.nameAtBank : null,
    pennyDrop: transfer !== null,
    amount: transfer === null ? 0 : PENNY_DROP_RUPEES,
    utr: transfer?.utr ?? null,
    transferStatus: transfer?.status ?? null,
    failureReason: credited ? null : (transfer?.statusCode?.toLowerCase() ?? holder.status.toLowerCase()),
  };
  return {
    kind: 'done',
    status: credited ? 'VALID' : 'INVALID',
    result: base,
    nameOnRecord: credited ? holder.nameAtBank : null,
    message: credited ? 'The account can be credited' : `The account cannot be credited (${base.failureReason})`,
  };
}

/** The payout's beneficiary name: the name given, in the letters, digits and spaces payouts accept. */
function payeeName(name: string | null): string {
  const tokens = name === null ? [] : prepareName(name).tokens;
  return tokens.length > 0 ? tokens.join(' ').slice(0, 50) : 'Account verification';
}

function withScore(outcome: Extract<Outcome, { kind: 'done' }>, nameMatch: NameMatchBlock | null): Extract<Outcome, { kind: 'done' }> {
  return { ...outcome, result: { ...outcome.result, nameMatchScore: nameMatch?.score ?? null } };
}

export function createPennyDrop(kit: PennyDropKit) {
  /** The payout of a check, by the transactionId the check gave it. */
  const transferOf = async (check: VerificationCheck) =>
    (await kit.payouts.searchTransfers(check.companyId, { transactionId: `PD-${check.id}` }, { offset: 0, limit: 1 })).rows[0] ?? null;

  /** The check as the payout leaves it: PENDING while the bank has not answered, else ended (no webhook: the request answers). */
  async function checkAfter(
    tx: Executor,
    o: { check: VerificationCheck; transfer: Transferred; holder: BankAccountRecord; ifsc: IfscDetails; accountNumber: string; name: string | null },
  ): Promise<VerificationCheck> {
    if (o.transfer.status === 'PROCESSING' || o.transfer.status === 'PENDING') return { ...o.check, message: 'The penny drop is with the bank' };
    const done = outcomeOf({ accountNumber: o.accountNumber, ifsc: o.ifsc }, o.holder, o.transfer);
    const nameMatch = await kit.nameMatchOf(tx, o.check.companyId, o.name, done.nameOnRecord);
    const scored = withScore(done, nameMatch);
    return { ...o.check, status: scored.status, result: scored.result, nameMatch, message: scored.message, completedAt: o.check.createdAt };
  }

  async function verify(body: { accountNumber: string; ifsc: string; name: string | null; pennyLess: boolean }, request: CheckRequest & { clientId: string }) {
    const accountNumber = body.accountNumber.trim();
    if (!ACCOUNT_NUMBER.test(accountNumber)) throw new RailInputError('Invalid field accountNumber: must be 6 to 18 digits', { param: 'accountNumber' });
    const ifsc = normalizeIfsc(body.ifsc);
    const now = await kit.now(request.companyId);
    const input = `${accountNumber}@${ifsc}`;
    const check = kit.draft(
      request,
      { masked: input, hash: kit.digest(`${input}|${body.pennyLess ? 'pennyless' : 'penny'}`, body.name), name: body.name },
      now,
    );
    const ifscDetails = await kit.lookupIfsc(ifsc);
    if (!ifscDetails) {
      const result = {
        accountNumber,
        ifsc,
        accountExists: false,
        accountStatus: null,
        nameAtBank: null,
        pennyDrop: false,
        amount: 0,
        utr: null,
        failureReason: 'unknown_ifsc',
      };
      return kit.record(kit.db, { ...check, status: 'INVALID', result, message: `No bank branch has the IFSC ${ifsc}`, completedAt: now });
    }
    const holder = bankAccountHolder(accountNumber);
    if (body.pennyLess) {
      const outcome = outcomeOf({ accountNumber, ifsc: ifscDetails }, holder, null);
      const nameMatch = await kit.nameMatchOf(kit.db, request.companyId, body.name, outcome.nameOnRecord);
      const done = withScore(outcome, nameMatch);
      return kit.record(kit.db, { ...check, status: done.status, result: done.result, nameMatch, message: done.message, completedAt: now });
    }
    // A repeated referenceId replays its check and never sends a second rupee.
    if (await repo.findCheckByReference(kit.db, check.companyId, check.referenceId)) return kit.record(kit.db, check);
    const scenario: Scenario | undefined = REFUSING[holder.status] ? parseScenario(REFUSING[holder.status]!) : request.scenario;
    // The check is written in the payout's own transaction (its `complete` step), ended or with its
    // timer: a transfer that fails (short balance, any error) leaves no check behind, and a check
    // always ends. `internal`: the client's request-checksum setting is for its own requests.
    const ctx = { companyId: request.companyId, clientId: request.clientId, scenario, internal: true };
    let recorded: Recorded | undefined;
    let sent;
    try {
      sent = await kit.payouts.createTransfer(
        ctx,
        {
          transactionId: `PD-${check.id}`,
          beneficiaryDetail: { beneficiaryName: payeeName(body.name), beneficiaryAccountNumber: accountNumber, beneficiaryIfsc: ifsc },
          transferAmount: PENNY_DROP_RUPEES,
          transferMode: 'IMPS',
          transferRemark: 'Penny drop account verification',
        },
        async (tx, result) => {
          if (result.kind !== 'transfer') return;
          const { transfer } = result;
          const written = await kit.record(tx, await checkAfter(tx, { check, transfer, holder, ifsc: ifscDetails, accountNumber, name: body.name }));
          // A concurrent request with the referenceId committed first: this payout rolls back.
          if (written.replayed) throw new Replayed(written);
          recorded = written;
          if (written.check.status === 'PENDING') await kit.schedule(tx, check, new Date(now.getTime() + PENNY_POLL_MS));
        },
      );
    } catch (err) {
      if (err instanceof Replayed) return err.recorded;
      throw err;
    }
    // Nothing moved and nothing was recorded: the same referenceId may be sent again once funded.
    if (sent.kind === 'insufficient_balance') throw new InsufficientBalanceError('Insufficient balance');
    // A transfer outcome ran the `complete` step, which recorded the check in the committed transaction.
    return recorded!;
  }

  /** The timer: the payout's status now; still with the bank, look again in a minute. */
  async function poll(check: VerificationCheck): Promise<void> {
    if (check.status !== 'PENDING') return;
    const transfer = await transferOf(check);
    if (!transfer) {
      const message = `The penny drop's payout PD-${check.id} does not exist; verify the account again with a new referenceId`;
      const failed = { kind: 'done', status: 'FAILED', result: { pennyDrop: false, failureReason: 'payout_missing' }, nameOnRecord: null, message } as const;
      await kit.complete(check, failed, null, { notify: true });
      return;
    }
    if (transfer.status === 'PROCESSING' || transfer.status === 'PENDING') {
      const now = await kit.now(check.companyId);
      await withTransaction(kit.db, (tx) => kit.schedule(tx, check, new Date(now.getTime() + PENNY_POLL_MS)));
      return;
    }
    const ifsc = (await kit.lookupIfsc(transfer.ifsc!))!;
    const outcome = outcomeOf({ accountNumber: transfer.accountNumber!, ifsc }, bankAccountHolder(transfer.accountNumber!), transfer);
    const nameMatch = await kit.nameMatchOf(kit.db, check.companyId, check.name, outcome.nameOnRecord);
    await kit.complete(check, withScore(outcome, nameMatch), nameMatch, { notify: true });
  }

  return { verify, poll };
}
