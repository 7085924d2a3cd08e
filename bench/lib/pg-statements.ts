/**
 * Statement accounting for a benchmark server process: a wrapper around pg.Client#query (BEGIN
 * and COMMIT included) that counts statements and the time from each call to its answer on its
 * client (the round trip plus any event-loop delay), by kind of statement. Installed by
 * `countPgStatements()` in the server process only (about 1-2% of its CPU).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export interface StatementStats {
  statements: number;
  byKind: Record<string, { count: number; ms: number }>;
}

let statements = 0;
const byKind = new Map<string, { count: number; ms: number }>();
const kinds = new Map<string, string>();
let installed = false;

/** "select oauth_refresh_tokens for update", "insert oauth_access_tokens", "begin", ... (cached per SQL text). */
function statementKind(config: unknown): string {
  const sqlText = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '?');
  let kind = kinds.get(sqlText);
  if (kind === undefined) {
    const text = sqlText.trim().toLowerCase();
    const verb = text.split(/\s+/, 1)[0] ?? '?';
    const table = /\b(?:from|into|update)\s+"?([\w.]+)"?/.exec(text)?.[1];
    const joins = (text.match(/\bjoin\b/g) ?? []).length;
    kind = [verb, table, joins > 0 ? `(+${joins} join)` : '', /\bfor update\s*$/.test(text) ? 'for update' : ''].filter(Boolean).join(' ');
    if (kinds.size < 10_000) kinds.set(sqlText, kind);
  }
  return kind;
}

type Callback = (err: unknown, res: unknown) => void;

/** Wraps pg.Client#query once per process; every pg client made afterwards is counted. */
export function countPgStatements(): void {
  if (installed) return;
  installed = true;
  const originalQuery = pg.Client.prototype.query as unknown as (this: pg.Client, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
    statements++;
    const kind = statementKind(config);
    const t0 = performance.now();
    const done = () => {
      const entry = byKind.get(kind) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - t0;
      byKind.set(kind, entry);
    };
    const wrap =
      (cb: Callback): Callback =>
      (err, res) => {
        done();
        cb(err, res);
      };
    if (typeof values === 'function') values = wrap(values as Callback);
    else if (typeof callback === 'function') callback = wrap(callback as Callback);
    const result = originalQuery.call(this, config, values, callback);
    if (typeof values !== 'function' && typeof callback !== 'function' && result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  } as unknown as typeof pg.Client.prototype.query;
}

/** The counts so far (a copy: the parent diffs two of them around a timed run). */
export function statementStats(): StatementStats {
  return { statements, byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, { ...v }])) };
}

export interface StatementsPerOp {
  statementsPerOp: number;
  /** Per kind of statement, most time per operation first. */
  statements: Array<{ kind: string; perOp: number; msEach: number; msPerOp: number }>;
}

/** Statements per operation between two `statementStats()` answers around a run of `ops` operations. */
export function statementsBetween(before: Partial<StatementStats>, after: Partial<StatementStats>, ops: number): StatementsPerOp | undefined {
  if (!before.byKind || !after.byKind) return undefined;
  return {
    statementsPerOp: ((after.statements ?? 0) - (before.statements ?? 0)) / ops,
    statements: Object.entries(after.byKind)
      .map(([kind, v]) => {
        const count = v.count - (before.byKind?.[kind]?.count ?? 0);
        const ms = v.ms - (before.byKind?.[kind]?.ms ?? 0);
        return { kind, perOp: count / ops, msEach: count > 0 ? ms / count : 0, msPerOp: ms / ops };
      })
      .filter((x) => x.perOp > 0.001)
      .sort((x, y) => y.msPerOp - x.msPerOp),
  };
}
