import type { SandboxClock } from '../../core/clock/sandbox-clock.js';
import type { Database, Executor } from '../../core/db/engine.js';
import { withTransaction } from '../../core/db/transaction.js';
import type { EventsService, SecretsKey } from '../../core/events/index.js';
import { pageOf, toPage, type Page } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import type { Timers } from '../../core/jobs/types.js';
import type { RegistriesRail, Scenario, UpiRail } from '../../rails/index.js';
import { createVerificationAudit } from './audit.js';
import { CHECK_SPECS, type CheckSpec, type Outcome, type RegistryCheckType } from './checks.js';
import { lookupIfsc } from './ifsc.js';
import { vpaCheck } from './vpa.js';
import { createReversePennyDrop, type ReverseKit } from './reverse-penny-drop.js';
import { createPennyDrop, PENNY_TIMER, type PennyDropKit } from './penny-drop.js';
import { ConsentRequiredError, InvalidNameError, InvalidThresholdsError, ReferenceConflictError, VerificationNotFoundError } from './errors.js';
import { VERIFICATION_COMPLETED } from './events.js';
import {
  DEFAULT_CONSENT_TEXT,
  PENDING_RETRY_SECONDS,
  REGISTRY_DATA_VERSION,
  type CheckRequest,
  type CheckType,
  type NameMatchBlock,
  type VerificationCheck,
} from './model.js';
import { DEFAULT_THRESHOLDS, matchNames, prepareName, type NameThresholds } from './name-match.js';
import * as repo from './repository.js';
import type { CheckPayload } from './schemas.js';

const RECHECK_TIMER = 'verification.recheck';
const isRegistryCheck = (type: CheckType): type is RegistryCheckType => type in CHECK_SPECS;

/** A registry check's input once validated: what the lookup reads, what may be shown, and its keyed hash. */
export interface PreparedInput {
  normalised: string;
  masked: string;
  hash: string;
}

export interface VerificationDeps {
  db: Database['db'];
  clocks: Pick<SandboxClock, 'now'>;
  timers: Timers;
  events: Pick<EventsService, 'publish'>;
  registries: RegistriesRail;
  /** The payouts product's own API: a penny drop is one of its IMPS payouts. */
  payouts: PennyDropKit['payouts'];
  /** The UPI rail's VPA lookup (the one the gateway's Verify UPI VPA answers). */
  upi: Pick<UpiRail, 'verifyVpa'>;
  /** The gateway's order and payment owners and its refund owner: a reverse penny drop is one of their UPI payments, refunded. */
  gateway: ReverseKit['gateway'];
  refunds: ReverseKit['refunds'];
  isGatewayMerchant: ReverseKit['isGatewayMerchant'];
  secretsKey: SecretsKey;
}

/** The wire form of a check (every route's payload and the webhook body). */
export function toPayload(c: VerificationCheck): CheckPayload {
  return {
    verificationId: c.id,
    referenceId: c.referenceId,
    checkType: c.checkType,
    status: c.status,
    message: c.message,
    input: c.inputMasked,
    result: c.result,
    nameMatch: c.nameMatch,
    purpose: c.consentPurpose,
    dataVersion: c.dataVersion,
    createdOn: c.createdAt.toISOString(),
    completedOn: c.completedAt?.toISOString() ?? null,
    purgedOn: c.purgedAt?.toISOString() ?? null,
  };
}

/** Consent "Y" and a purpose, or a 422 naming the field (issue 20 part 1). */
export function requireConsent(body: { consent?: string | undefined; purpose?: string | undefined }): { purpose: string } {
  if (body.consent === undefined) throw new ConsentRequiredError('Missing required field consent', { param: 'consent' });
  if (body.consent !== 'Y') throw new ConsentRequiredError('Invalid field consent: must be Y (the subject consented to this check)', { param: 'consent' });
  if (body.purpose === undefined || body.purpose.trim() === '') throw new ConsentRequiredError('Missing required field purpose', { param: 'purpose' });
  return { purpose: body.purpose.trim() };
}

function requireName(name: string, field: string): void {
  if (prepareName(name).tokens.length === 0) throw new InvalidNameError(`Invalid field ${field}: no name left once honorifics are dropped`, { param: field });
}

export function createVerificationService(deps: VerificationDeps) {
  const { db, clocks, timers, events, registries, secretsKey } = deps;
  const audit = createVerificationAudit({ db, clocks, timers });
  const VPA_CHECK = vpaCheck(deps.upi);
  const digest = (type: CheckType, normalised: string, name: string | null) =>
    secretsKey.digest(`${type}\u0000${normalised}\u0000${name ?? ''}`, 'verification-input');

  async function thresholdsOf(exec: Executor, companyId: string): Promise<NameThresholds> {
    return (await repo.findThresholds(exec, companyId)) ?? DEFAULT_THRESHOLDS;
  }

  async function nameMatchOf(exec: Executor, companyId: string, name: string | null, nameOnRecord: string | null): Promise<NameMatchBlock | null> {
    if (name === null || nameOnRecord === null) return null;
    const thresholds = await thresholdsOf(exec, companyId);
    const m = matchNames(name, nameOnRecord, thresholds);
    return { nameGiven: name, nameOnRecord, score: m.score, band: m.band, thresholds, breakdown: m.breakdown };
  }

  /** Inserts the check; a referenceId used before replays its check when the type and input are the same, else 409. */
  async function record(exec: Executor, check: VerificationCheck): Promise<{ check: VerificationCheck; replayed: boolean }> {
    // The day's first check also schedules the purge sweep: both in one transaction, so that a
    // failed schedule leaves no check behind a 5xx (ADR 0046). Every other check is one statement.
    if (exec === db && audit.sweepPending(check)) return withTransaction(db, (tx) => record(tx, check));
    const inserted = await repo.insertCheck(exec, check);
    if (inserted) {
      await audit.recorded(exec, inserted);
      return { check: inserted, replayed: false };
    }
    const first = await repo.findCheckByReference(exec, check.companyId, check.referenceId);
    if (!first) throw new Error(`verification ${check.referenceId}: the insert conflicted but no row has the referenceId`);
    if (first.checkType !== check.checkType || first.inputHash !== check.inputHash) {
      throw new ReferenceConflictError(`referenceId ${check.referenceId} was used for another check or input`, { param: 'referenceId' });
    }
    return { check: first, replayed: true };
  }

  function draft(request: CheckRequest, type: CheckType, input: { masked: string; hash: string; name: string | null }, now: Date): VerificationCheck {
    return {
      id: newId('VRF', now),
      companyId: request.companyId,
      referenceId: request.referenceId,
      checkType: type,
      status: 'PENDING',
      inputMasked: input.masked,
      inputHash: input.hash,
      name: input.name,
      result: null,
      nameMatch: null,
      message: '',
      consentPurpose: request.consent.purpose,
      consentText: request.consent.text ?? DEFAULT_CONSENT_TEXT,
      requestedBy: request.requestedBy,
      requestIp: request.requestIp,
      dataVersion: REGISTRY_DATA_VERSION,
      createdAt: now,
      completedAt: null,
      purgedAt: null,
    };
  }

  function ended(check: VerificationCheck, outcome: Extract<Outcome, { kind: 'done' }>, nameMatch: NameMatchBlock | null, now: Date): VerificationCheck {
    return { ...check, status: outcome.status, result: outcome.result, nameMatch, message: outcome.message, completedAt: now };
  }

  /** A registry check's input validated (invalid_rail_input, invalid_name) and its keyed hash: what a bulk row keeps. */
  function prepareInput(spec: CheckSpec, raw: string, name: string | null, now: Date): PreparedInput {
    if (name !== null) requireName(name, 'name');
    const { normalised, masked } = spec.prepare(raw, now);
    return { normalised, masked, hash: digest(spec.type, normalised, name) };
  }

  /** Runs one registry check: validated input, lookup, one insert (the budgeted path; a name adds the thresholds' read). */
  async function runCheck(spec: CheckSpec, raw: string, name: string | null, request: CheckRequest) {
    const now = await clocks.now(request.companyId);
    return runPrepared(spec, prepareInput(spec, raw, name, now), name, request, now);
  }

  /** A check whose input was prepared (a bulk row: an Aadhaar's `normalised` is its masked form, which is all its lookup reads). */
  async function runPrepared(spec: CheckSpec, input: PreparedInput, name: string | null, request: CheckRequest, now: Date, exec: Executor = db) {
    const scenario = request.scenario;
    const { normalised, masked } = input;
    const check = draft(request, spec.type, { masked, hash: input.hash, name }, now);
    const outcome = await spec.lookup(normalised, { registries, scenario, now, name });
    if (outcome.kind === 'pending') {
      // Before any write: a check whose kept text is not its input (a masked Aadhaar) cannot be retried.
      if (spec.retryInput(masked) !== normalised) throw new Error(`verification ${spec.type}: a check that cannot be retried answered PENDING`);
      return withTransaction(exec, async (tx) => {
        const r = await record(tx, { ...check, message: outcome.message });
        if (!r.replayed)
          await timers.schedule(tx, {
            companyId: check.companyId,
            dueAt: new Date(now.getTime() + PENDING_RETRY_SECONDS * 1000),
            kind: RECHECK_TIMER,
            payload: { id: check.id },
          });
        return r;
      });
    }
    return record(exec, ended(check, outcome, await nameMatchOf(exec, request.companyId, name, outcome.nameOnRecord), now));
  }

  /** Ends a PENDING check in the caller's transaction and, when `notify`, publishes VERIFICATION_COMPLETED in it; null when it had ended. */
  async function endIn(tx: Executor, companyId: string, id: string, end: Parameters<typeof repo.completeCheck>[3], notify = true) {
    const done = await repo.completeCheck(tx, companyId, id, end);
    if (done && notify)
      await events.publish(tx, companyId, { type: VERIFICATION_COMPLETED.type, payload: { event: VERIFICATION_COMPLETED.type, ...toPayload(done) } });
    return done;
  }

  /** Ends a PENDING check with its outcome (and its webhook when `notify`) in one transaction. */
  async function complete(check: VerificationCheck, outcome: Extract<Outcome, { kind: 'done' }>, nameMatch: NameMatchBlock | null, notify: boolean) {
    const end = { status: outcome.status, result: outcome.result, nameMatch, message: outcome.message, at: await clocks.now(check.companyId) };
    return withTransaction(db, (tx) => endIn(tx, check.companyId, check.id, end, notify));
  }

  /** What the penny drop and the reverse penny drop share: drafting, recording and matching a check of their type. */
  const kitOf = (type: 'BANK_ACCOUNT' | 'BANK_ACCOUNT_REVERSE') => ({
    db,
    now: (companyId: string) => clocks.now(companyId),
    draft: (request: CheckRequest, input: { masked: string; hash: string; name: string | null }, now: Date) => draft(request, type, input, now),
    digest: (normalised: string, name: string | null) => digest(type, normalised, name),
    record,
    nameMatchOf,
  });

  const pennyDrop = createPennyDrop({
    ...kitOf('BANK_ACCOUNT'),
    payouts: deps.payouts,
    complete: (check, outcome, nameMatch, { notify }) => complete(check, outcome, nameMatch, notify),
    schedule: (tx, check, dueAt) =>
      timers.schedule(tx, { companyId: check.companyId, dueAt, kind: PENNY_TIMER, payload: { id: check.id }, dedupeKey: `${check.id}@${dueAt.getTime()}` }),
    lookupIfsc: async (ifsc) => {
      const answer = await registries.lookupIfsc(ifsc);
      return answer.outcome === 'found' ? answer.record : null;
    },
  });
  const reverse = createReversePennyDrop({
    ...kitOf('BANK_ACCOUNT_REVERSE'),
    timers,
    gateway: deps.gateway,
    refunds: deps.refunds,
    isGatewayMerchant: deps.isGatewayMerchant,
    end: async (tx, check, end) => endIn(tx, check.companyId, check.id, { ...end, at: await clocks.now(check.companyId) }),
  });

  timers.register<{ id: string }>(PENNY_TIMER, async (timer) => {
    const check = await repo.findCheck(db, timer.companyId, timer.payload.id);
    if (check) await pennyDrop.poll(check);
  });

  /** A PENDING check's registry answers: the lookup again without the scenario, the end recorded and the webhook published together. */
  async function recheck(companyId: string, id: string): Promise<void> {
    const check = await repo.findCheck(db, companyId, id);
    // Only the registry checks go PENDING on a registry that did not answer; the others end by their own timers or listeners.
    if (!check || check.status !== 'PENDING' || !isRegistryCheck(check.checkType)) return;
    const spec = CHECK_SPECS[check.checkType];
    // The kept text, never a masked Aadhaar looked up as if it were the number (runCheck lets no such check pend).
    const input = spec.retryInput(check.inputMasked);
    if (input === null) throw new Error(`verification ${id}: a ${check.checkType} check keeps no input to retry with`);
    const now = await clocks.now(companyId);
    const outcome = await spec.lookup(input, { registries, scenario: undefined, now, name: check.name });
    if (outcome.kind === 'pending') throw new Error(`verification ${id}: the registry answered no answer without a scenario`);
    const nameMatch = await nameMatchOf(db, companyId, check.name, outcome.nameOnRecord);
    const end = { status: outcome.status, result: outcome.result, nameMatch, message: outcome.message, at: now };
    await withTransaction(db, (tx) => endIn(tx, companyId, id, end));
  }
  timers.register<{ id: string }>(RECHECK_TIMER, (timer) => recheck(timer.companyId, timer.payload.id));

  return {
    pan: (body: { pan: string; name?: string | undefined }, request: CheckRequest) => runCheck(CHECK_SPECS.PAN, body.pan, body.name ?? null, request),
    gstin: (body: { gstin: string; name?: string | undefined }, request: CheckRequest) => runCheck(CHECK_SPECS.GSTIN, body.gstin, body.name ?? null, request),
    aadhaar: (body: { aadhaarNumber: string }, request: CheckRequest) => runCheck(CHECK_SPECS.AADHAAR, body.aadhaarNumber, null, request),
    cin: (body: { cin: string; name?: string | undefined }, request: CheckRequest) => runCheck(CHECK_SPECS.CIN, body.cin, body.name ?? null, request),
    bankAccount: pennyDrop.verify,
    bankAccountReverse: reverse.verify,
    vpa: (body: { vpa: string; name?: string | undefined }, request: CheckRequest) => runCheck(VPA_CHECK, body.vpa, body.name ?? null, request),
    ifsc: (ifsc: string, scenario: Scenario | undefined) => lookupIfsc(registries, ifsc, scenario),
    llpin: (body: { llpin: string; name?: string | undefined }, request: CheckRequest) => runCheck(CHECK_SPECS.LLPIN, body.llpin, body.name ?? null, request),
    /** For bulk jobs: validate a row's input at upload, run it later (no Aadhaar number kept in between), in the batch's transaction. */
    prepareInput,
    runPrepared: async (spec: CheckSpec, input: PreparedInput, name: string | null, request: CheckRequest, exec: Executor) =>
      runPrepared(spec, input, name, request, await clocks.now(request.companyId), exec),

    /** Two names compared (no registry): VALID with the score, band and breakdown in `result` and `nameMatch`. */
    async nameMatch(body: { name1: string; name2: string }, request: CheckRequest) {
      requireName(body.name1, 'name1');
      requireName(body.name2, 'name2');
      const now = await clocks.now(request.companyId);
      const input = { masked: `${body.name1} | ${body.name2}`, hash: digest('NAME_MATCH', body.name1, body.name2), name: body.name1 };
      const block = (await nameMatchOf(db, request.companyId, body.name1, body.name2))!;
      const check = draft(request, 'NAME_MATCH', input, now);
      const result = { score: block.score, band: block.band };
      return record(db, {
        ...check,
        status: 'VALID',
        result,
        nameMatch: block,
        message: `The names are a ${block.band.replace('_', ' ').toLowerCase()}`,
        completedAt: now,
      });
    },

    async get(companyId: string, id: string): Promise<VerificationCheck> {
      const check = await repo.findCheck(db, companyId, id);
      if (!check) throw new VerificationNotFoundError(`No verification ${id}`, { param: 'verificationId' });
      return check;
    },

    async search(
      companyId: string,
      body: {
        checkType?: CheckType;
        status?: VerificationCheck['status'];
        referenceId?: string;
        fromDate?: string;
        toDate?: string;
        offset?: number;
        limit?: number;
      },
    ): Promise<Page<VerificationCheck>> {
      const page = pageOf(body);
      const { rows, total } = await repo.searchChecks(
        db,
        companyId,
        {
          checkType: body.checkType,
          status: body.status,
          referenceId: body.referenceId,
          from: body.fromDate ? new Date(body.fromDate) : undefined,
          to: body.toDate ? new Date(body.toDate) : undefined,
        },
        page,
      );
      return toPage(rows, total, page);
    },

    /** Consent and audit: search, export and the purge of results on the clock (audit.ts, ADR 0044). */
    audit,

    async settings(companyId: string): Promise<repo.VerificationSettings> {
      return { nameMatchThresholds: await thresholdsOf(db, companyId), resultRetentionDays: await audit.retentionDays(companyId) };
    },

    /** Sets the thresholds and/or the retention period; a field not sent keeps its value. */
    async setSettings(companyId: string, change: Partial<repo.VerificationSettings>): Promise<repo.VerificationSettings> {
      const thresholds = change.nameMatchThresholds;
      if (thresholds && !(0 <= thresholds.partial && thresholds.partial <= thresholds.match && thresholds.match <= 100)) {
        throw new InvalidThresholdsError('Invalid field nameMatchThresholds: must satisfy 0 ≤ partial ≤ match ≤ 100', { param: 'nameMatchThresholds' });
      }
      const saved = await repo.saveSettings(db, companyId, change, await clocks.now(companyId));
      if (change.resultRetentionDays !== undefined) await audit.retentionChanged(companyId);
      return saved;
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
