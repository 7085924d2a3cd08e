import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityService, type IdentityService } from '../../src/auth/identity/index.js';
import { ManualClock } from '../../src/core/clock/clock.js';
import type { Database, Executor } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { AppError } from '../../src/core/errors/app-error.js';
import { createLedger, type Account, type Ledger, type Totals } from '../../src/core/ledger/index.js';
import { backend, createTestDatabase } from '../support/app.js';

// Goal: every invariant of `tijori ledger verify` holds after every step of any sequence of
// postings, holds (place, partial or full capture, void) and reversals, and the ledger agrees with
// a model kept here, step by step: balances now, the outcome of each step (done, or refused with
// which error and no effect), and balances as of every past instant.
// Method: fast-check generates command lists; each run uses a fresh company on one database (PGlite
// or PostgreSQL), the model is plain bigint arithmetic written independently of the service.

const ACCOUNTS = [
  { code: 'merchant_available', normal: 'credit', allowNegative: false, currency: 'INR' },
  { code: 'payout_float', normal: 'credit', allowNegative: false, currency: 'INR' },
  { code: 'fees_revenue', normal: 'credit', allowNegative: false, currency: 'INR' },
  { code: 'clearing:upi', normal: 'debit', allowNegative: true, currency: 'INR' },
  { code: 'points_liability:cus_1', normal: 'credit', allowNegative: false, currency: 'PTS' },
  { code: 'points_clearing', normal: 'credit', allowNegative: true, currency: 'PTS' },
] as const;
type AccountSpec = (typeof ACCOUNTS)[number];

type Command =
  | { kind: 'transfer'; from: number; to: number; amount: bigint; reuse: boolean }
  | { kind: 'split'; from: number; to: [number, number]; amounts: [bigint, bigint] }
  | { kind: 'place'; from: number; to: number; amount: bigint }
  | { kind: 'capture'; hold: number; percent: number | null }
  | { kind: 'void'; hold: number }
  | { kind: 'reverse'; transaction: number }
  | { kind: 'advance'; seconds: number };

const amountArb = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 20_000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 20_001n, max: 500_000n }) },
);
const index = fc.nat({ max: 40 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: index, to: index, amount: amountArb, reuse: fc.nat({ max: 9 }).map((n) => n === 0) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('split' as const), from: index, to: fc.tuple(index, index), amounts: fc.tuple(amountArb, amountArb) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('place' as const), from: index, to: index, amount: amountArb }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('capture' as const), hold: index, percent: fc.option(fc.integer({ min: 1, max: 110 }), { nil: null }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), hold: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), transaction: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 3600 }) }) },
);

interface ModelTx {
  id: string;
  postings: { account: number; direction: 'debit' | 'credit'; amount: bigint }[];
  reversed: boolean;
}
interface ModelHold {
  id: string;
  debit: number;
  credit: number;
  amount: bigint;
  status: 'pending' | 'captured' | 'voided';
}

class Model {
  totals: Totals[] = ACCOUNTS.map(() => ({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }));
  transactions: ModelTx[] = [];
  holds: ModelHold[] = [];
  references = new Set<string>();

  static available(spec: AccountSpec, t: Totals): bigint {
    return spec.normal === 'debit' ? t.debitsPosted - t.creditsPosted - t.creditsPending : t.creditsPosted - t.debitsPosted - t.debitsPending;
  }

  /** The totals after `changes`, or null when a non-negative account would drop below zero. */
  tryApply(changes: { account: number; field: keyof Totals; amount: bigint }[]): Totals[] | null {
    const next = this.totals.map((t) => ({ ...t }));
    for (const c of changes) next[c.account]![c.field] += c.amount;
    for (let i = 0; i < ACCOUNTS.length; i++) {
      const spec = ACCOUNTS[i]!;
      const before = Model.available(spec, this.totals[i]!);
      const after = Model.available(spec, next[i]!);
      if (!spec.allowNegative && after < 0n && after < before) return null;
    }
    return next;
  }
}

const postingChanges = (postings: ModelTx['postings']) =>
  postings.map((p) => ({ account: p.account, field: (p.direction === 'debit' ? 'debitsPosted' : 'creditsPosted') as keyof Totals, amount: p.amount }));

/** What the runs exercised, so the property cannot pass by never reaching a branch. */
const seen = new Map<string, number>();
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

let database: Database;
let db: Executor;
let identity: IdentityService;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  identity = createIdentityService({ db, clock: new ManualClock() });
});

afterAll(async () => {
  await database?.close();
});

async function outcome<T>(fn: () => Promise<T>): Promise<{ ok: T } | { error: string }> {
  try {
    return { ok: await fn() };
  } catch (err) {
    if (err instanceof AppError) return { error: err.code };
    throw err;
  }
}

/** Two different accounts of one currency from two free indexes. */
function pair(from: number, to: number): [number, number] {
  const a = from % ACCOUNTS.length;
  const same = ACCOUNTS.map((s, i) => i).filter((i) => i !== a && ACCOUNTS[i]!.currency === ACCOUNTS[a]!.currency);
  return [a, same[to % same.length]!];
}

async function run(commands: Command[]): Promise<void> {
  const clock = new ManualClock(new Date('2026-04-01T00:00:00.000Z'));
  const ledger: Ledger = createLedger({ db, clock: { now: async () => clock.now() } });
  const companyId = (await identity.createCompany({ name: 'Property' })).id;
  const tx = <T>(fn: (t: Executor) => Promise<T>) => withTransaction(db, fn);
  const accounts: Account[] = [];
  for (const spec of ACCOUNTS) accounts.push(await tx((t) => ledger.ensureAccount(t, companyId, { code: spec.code })));
  const model = new Model();
  const history: { at: Date; totals: Totals[] }[] = [];
  let step = 0;

  // Seed money so that most movements can succeed.
  const seed = [
    { kind: 'transfer' as const, from: 3, to: 0, amount: 200_000n, reuse: false },
    { kind: 'transfer' as const, from: 5, to: 0, amount: 5_000n, reuse: false },
  ];

  for (const command of [...seed, ...commands]) {
    step++;
    const label = `step ${step}: ${JSON.stringify(command, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    switch (command.kind) {
      case 'transfer':
      case 'split': {
        let postings: ModelTx['postings'];
        if (command.kind === 'transfer') {
          const [from, to] = pair(command.from, command.to);
          postings = [
            { account: to, direction: 'credit', amount: command.amount },
            { account: from, direction: 'debit', amount: command.amount },
          ];
        } else {
          const [from, to1] = pair(command.from, command.to[0]);
          const [, to2] = pair(from, command.to[1]);
          postings = [
            { account: from, direction: 'debit', amount: command.amounts[0] + command.amounts[1] },
            { account: to1, direction: 'credit', amount: command.amounts[0] },
            { account: to2, direction: 'credit', amount: command.amounts[1] },
          ];
        }
        const reuse = command.kind === 'transfer' && command.reuse && model.references.size > 0;
        const referenceId = reuse ? [...model.references][0]! : `ref_${step}`;
        const result = await outcome(() =>
          tx((t) =>
            ledger.post(t, companyId, {
              code: 'adjustment',
              referenceType: 'property',
              referenceId,
              postings: postings.map((p) => ({ account: accounts[p.account]!.id, direction: p.direction, amount: p.amount })),
            }),
          ),
        );
        const next = model.tryApply(postingChanges(postings));
        if (reuse) {
          expect(result, label).toEqual({ error: 'ledger_duplicate_reference' });
          saw('duplicate reference');
        } else if (next === null) {
          expect(result, label).toEqual({ error: 'ledger_insufficient_funds' });
          saw('post refused');
        } else {
          saw(command.kind);
          expect('ok' in result, label).toBe(true);
          if ('ok' in result) model.transactions.push({ id: result.ok.id, postings, reversed: false });
          model.totals = next;
          model.references.add(referenceId);
        }
        break;
      }
      case 'place': {
        const [debit, credit] = pair(command.from, command.to);
        const result = await outcome(() =>
          tx((t) =>
            ledger.placeHold(t, companyId, {
              code: 'payout',
              referenceType: 'property',
              referenceId: `hold_${step}`,
              debitAccount: accounts[debit]!.id,
              creditAccount: accounts[credit]!.id,
              amount: command.amount,
            }),
          ),
        );
        const next = model.tryApply([
          { account: debit, field: 'debitsPending', amount: command.amount },
          { account: credit, field: 'creditsPending', amount: command.amount },
        ]);
        if (next === null) {
          expect(result, label).toEqual({ error: 'ledger_insufficient_funds' });
          saw('hold refused');
        } else {
          saw('place');
          expect('ok' in result, label).toBe(true);
          if ('ok' in result) model.holds.push({ id: result.ok.id, debit, credit, amount: command.amount, status: 'pending' });
          model.totals = next;
        }
        break;
      }
      case 'capture':
      case 'void': {
        if (model.holds.length === 0) continue;
        const hold = model.holds[command.hold % model.holds.length]!;
        // A percentage of the hold (above 100 % must be refused); null captures all of it.
        const percent = command.kind === 'capture' ? command.percent : null;
        const share = percent === null ? undefined : (hold.amount * BigInt(percent)) / 100n;
        const requested = share === undefined ? undefined : share > 0n ? share : 1n;
        const amount = command.kind === 'capture' ? (requested ?? hold.amount) : 0n;
        const result = await outcome(() =>
          tx<unknown>((t) => (command.kind === 'capture' ? ledger.captureHold(t, companyId, hold.id, requested) : ledger.voidHold(t, companyId, hold.id))),
        );
        if (hold.status !== 'pending') {
          expect(result, label).toEqual({ error: 'ledger_hold_not_pending' });
          saw('hold not pending');
        } else if (amount > hold.amount) {
          expect(result, label).toEqual({ error: 'ledger_capture_exceeds_hold' });
          saw('capture exceeds');
        } else {
          saw(command.kind === 'void' ? 'void' : amount < hold.amount ? 'partial capture' : 'full capture');
          const release = [
            { account: hold.debit, field: 'debitsPending' as const, amount: -hold.amount },
            { account: hold.credit, field: 'creditsPending' as const, amount: -hold.amount },
          ];
          const postings: ModelTx['postings'] =
            amount > 0n
              ? [
                  { account: hold.debit, direction: 'debit', amount },
                  { account: hold.credit, direction: 'credit', amount },
                ]
              : [];
          const next = model.tryApply([...release, ...postingChanges(postings)]);
          expect(next, `${label}: releasing a hold is never refused`).not.toBeNull();
          expect('ok' in result, label).toBe(true);
          model.totals = next!;
          hold.status = command.kind === 'capture' ? 'captured' : 'voided';
          if ('ok' in result && 'transaction' in (result.ok as object)) {
            model.transactions.push({ id: (result.ok as { transaction: { id: string } }).transaction.id, postings, reversed: false });
          }
        }
        break;
      }
      case 'reverse': {
        if (model.transactions.length === 0) continue;
        const original = model.transactions[command.transaction % model.transactions.length]!;
        const result = await outcome(() => tx((t) => ledger.reverse(t, companyId, original.id, { reason: label })));
        const mirrored = original.postings.map((p) => ({ ...p, direction: p.direction === 'debit' ? ('credit' as const) : ('debit' as const) }));
        const next = model.tryApply(postingChanges(mirrored));
        if (original.reversed) {
          expect(result, label).toEqual({ error: 'ledger_already_reversed' });
          saw('already reversed');
        } else if (next === null) {
          expect(result, label).toEqual({ error: 'ledger_insufficient_funds' });
          saw('reversal refused');
        } else {
          saw('reverse');
          expect('ok' in result, label).toBe(true);
          original.reversed = true;
          if ('ok' in result) model.transactions.push({ id: result.ok.id, postings: mirrored, reversed: false });
          model.totals = next;
        }
        break;
      }
      case 'advance':
        clock.advance(command.seconds * 1000);
        continue;
    }

    // After every step: verify finds nothing, and every balance is the model's.
    const report = await ledger.verify(db, { companyId });
    expect(report.breaks, label).toEqual([]);
    for (let i = 0; i < ACCOUNTS.length; i++) {
      const b = await ledger.balance(db, companyId, accounts[i]!.id);
      expect({ ...b, asOf: null }, `${label}: ${ACCOUNTS[i]!.code}`).toMatchObject(model.totals[i]!);
      expect(b.available, label).toBe(Model.available(ACCOUNTS[i]!, model.totals[i]!));
      if (!ACCOUNTS[i]!.allowNegative) expect(b.available >= 0n, label).toBe(true);
    }
    const at = clock.now();
    if (history.at(-1)?.at.getTime() === at.getTime()) history.pop();
    history.push({ at, totals: model.totals.map((t) => ({ ...t })) });
  }

  // Balances as of every instant seen equal the model's state at that instant.
  for (const { at, totals } of history) {
    for (let i = 0; i < ACCOUNTS.length; i++) {
      const b = await ledger.balance(db, companyId, accounts[i]!.id, { asOf: at });
      expect({ ...b, asOf: null }, `as of ${at.toISOString()}: ${ACCOUNTS[i]!.code}`).toMatchObject(totals[i]!);
    }
  }
}

/** A hand-written run that reaches every branch, so the branch check below never depends on luck. */
const everyBranch: Command[] = [
  { kind: 'place', from: 0, to: 2, amount: 10_000n }, // merchant_available → clearing:upi
  { kind: 'capture', hold: 0, percent: 50 },
  { kind: 'place', from: 0, to: 2, amount: 10_000n },
  { kind: 'capture', hold: 1, percent: 110 },
  { kind: 'advance', seconds: 60 },
  { kind: 'void', hold: 1 },
  { kind: 'void', hold: 1 },
  { kind: 'capture', hold: 0, percent: null },
  { kind: 'place', from: 0, to: 2, amount: 500_000n },
  { kind: 'place', from: 0, to: 2, amount: 1_000n },
  { kind: 'capture', hold: 2, percent: null },
  { kind: 'transfer', from: 0, to: 2, amount: 1_000n, reuse: false },
  { kind: 'transfer', from: 0, to: 2, amount: 500_000n, reuse: false },
  { kind: 'transfer', from: 0, to: 2, amount: 1n, reuse: true },
  { kind: 'split', from: 0, to: [0, 1], amounts: [100n, 200n] },
  { kind: 'advance', seconds: 60 },
  { kind: 'reverse', transaction: 5 },
  { kind: 'reverse', transaction: 5 },
  { kind: 'reverse', transaction: 0 },
];

describe(`ledger properties on ${backend}`, () => {
  it('verify holds and balances match the model after every step of random postings, holds and reversals', async () => {
    await fc.assert(fc.asyncProperty(fc.array(commandArb, { minLength: 5, maxLength: 24 }), run), {
      numRuns: backend === 'pglite' ? 15 : 25,
      examples: [[everyBranch]],
    });
    expect((await createLedger({ db, clock: { now: async () => new Date() } }).verify(db)).breaks).toEqual([]);
    const branches = [
      'transfer',
      'split',
      'post refused',
      'duplicate reference',
      'place',
      'hold refused',
      'partial capture',
      'full capture',
      'void',
      'hold not pending',
      'capture exceeds',
      'reverse',
      'already reversed',
      'reversal refused',
    ];
    for (const branch of branches) expect(seen.get(branch) ?? 0, `never exercised: ${branch} (${JSON.stringify([...seen])})`).toBeGreaterThan(0);
  }, 120_000);
});
