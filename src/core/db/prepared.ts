import type { Executor } from './engine.js';

/**
 * Named prepared statements for hot paths (ADR 0028): the one way a product runs a statement
 * without Drizzle's per-call query builder. A statement is defined once, at module load, with its
 * `$1…$n` text and a narrow column list; it then runs on any Executor, the pool or an open
 * transaction. On PostgreSQL it is sent as a named query, so each connection parses and plans it
 * once and later calls only bind and execute; on PGlite (one embedded connection) it is sent as is.
 *
 *   const paymentById = definePrepared<PaymentRow, [string, string]>('gateway_payment_by_id', 'select … where company_id = $1 and id = $2');
 *   const row = await paymentById.one(tx, [companyId, id]);
 *
 * Rows come back as the driver gives them (int8 as a string on pg, a bigint or number on PGlite;
 * timestamptz as a Date on both): a repository's row mapper normalises them (`toBigInt`).
 */
export interface PreparedStatement<Row, Params extends readonly unknown[]> {
  readonly name: string;
  readonly text: string;
  rows(exec: Executor, params: Params): Promise<Row[]>;
  /** The first row, or undefined. */
  one(exec: Executor, params: Params): Promise<Row | undefined>;
}

/** Names are global per connection on PostgreSQL: one name, one text, for the whole process. */
const defined = new Map<string, string>();

type PgLike = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> };
type PgliteLike = { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }>; exec(text: string): Promise<unknown> };

/**
 * The driver client under a Drizzle database or transaction: a pg Pool or PoolClient, a PGlite or
 * PGlite transaction. Drizzle keeps it as `session.client` on both drivers (drizzle-orm 0.45).
 */
function clientOf(exec: Executor): PgLike | PgliteLike {
  const client = (exec as unknown as { session?: { client?: unknown } }).session?.client;
  if (!client || typeof (client as { query?: unknown }).query !== 'function') throw new Error('prepared statements need a Drizzle pg or PGlite executor');
  return client as PgLike | PgliteLike;
}

function isPglite(client: PgLike | PgliteLike): client is PgliteLike {
  return typeof (client as { exec?: unknown }).exec === 'function';
}

/** Parameters in the text form both drivers accept: bigint and Date as text, an object as JSON. */
function param(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}

export function definePrepared<Row, Params extends readonly unknown[] = readonly unknown[]>(name: string, text: string): PreparedStatement<Row, Params> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`prepared statement name ${name}: lower-case letters, digits and _`);
  const before = defined.get(name);
  if (before !== undefined && before !== text) throw new Error(`prepared statement ${name} is defined twice with different texts`);
  defined.set(name, text);
  const rows = async (exec: Executor, params: Params): Promise<Row[]> => {
    const client = clientOf(exec);
    const values = params.map(param);
    const result = isPglite(client) ? await client.query(text, values) : await client.query({ name, text, values });
    return result.rows as Row[];
  };
  return {
    name,
    text,
    rows,
    one: async (exec, params) => (await rows(exec, params))[0],
  };
}

/** An int8 or numeric column as a bigint, whichever JS type the driver gave it. */
export function toBigInt(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as string | number);
}

/** A nullable timestamptz column as a Date (both drivers give a Date; a string is parsed). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}
