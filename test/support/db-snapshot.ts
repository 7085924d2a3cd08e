import { sql } from 'drizzle-orm';
import type { Database } from '../../src/core/db/engine.js';
import { queryRows } from './app.js';

/**
 * Whole-database views for the proof suites (docs/testing.md): a checksum per table, to show that
 * a refused request changed no row, and every row as text, for the card-data scan. Tables are read
 * from the catalogue, so a product's new tables are covered without a change here.
 */

export interface TableInfo {
  /** `schema.table`, quoted for SQL. */
  qualified: string;
  /** `table` for the public schema, else `schema.table`: the name used in reports and exclusions. */
  name: string;
  hasCompanyId: boolean;
}

/** Every ordinary table of the app's schemas (public and pg-boss's), not the migration journal. */
export async function listTables(database: Database): Promise<TableInfo[]> {
  const rows = await queryRows<{ schema: string; name: string; has_company_id: boolean }>(
    database,
    sql`select c.table_schema as schema, c.table_name as name,
               exists (select 1 from information_schema.columns k
                        where k.table_schema = c.table_schema and k.table_name = c.table_name and k.column_name = 'company_id') as has_company_id
          from information_schema.tables c
         where c.table_type = 'BASE TABLE'
           and c.table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
           and c.table_schema not like 'pg\_%'
         order by c.table_schema, c.table_name`,
  );
  const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
  return rows.map((r) => ({
    qualified: `${quote(r.schema)}.${quote(r.name)}`,
    name: r.schema === 'public' ? r.name : `${r.schema}.${r.name}`,
    hasCompanyId: r.has_company_id === true || String(r.has_company_id) === 'true',
  }));
}

/**
 * md5 of each table's rows in a stable order (of their text form). With `companyId`, only that
 * company's rows of the tables that carry `company_id` (the others are left out).
 *
 * The suites take a snapshot after every request, so the md5 (every row to text, sorted) is
 * computed only for tables whose cheap fingerprint moved: the row count and the newest `xmin`.
 * An insert or an update writes a tuple with a new, higher transaction id and a delete lowers the
 * count, so an unchanged fingerprint means unchanged rows; a changed one is judged by the md5, as
 * before (a no-op update is no change).
 */
export async function tableChecksums(database: Database, tables: TableInfo[], options: { companyId?: string } = {}): Promise<Record<string, string>> {
  const selected = options.companyId === undefined ? tables : tables.filter((t) => t.hasCompanyId);
  if (selected.length === 0) return {};
  const literal = options.companyId === undefined ? '' : ` where x.company_id = '${options.companyId.replace(/'/g, "''")}'`;
  const cacheKey = options.companyId ?? '';
  const perDatabase = checksumCache.get(database) ?? new Map<string, Map<string, { fingerprint: string; sum: string }>>();
  checksumCache.set(database, perDatabase);
  const cache = perDatabase.get(cacheKey) ?? new Map<string, { fingerprint: string; sum: string }>();
  perDatabase.set(cacheKey, cache);
  const fingerprints = await queryRows<{ i: number; fp: string }>(
    database,
    sql.raw(
      selected
        .map((t, i) => `select ${i} as i, count(*) || ':' || coalesce(max(x.xmin::text::bigint), 0) as fp from ${t.qualified} x${literal}`)
        .join(' union all '),
    ),
  );
  const moved = fingerprints.filter((r) => cache.get(selected[Number(r.i)]!.name)?.fingerprint !== String(r.fp));
  if (moved.length > 0) {
    const sums = await queryRows<{ i: number; sum: string; n: number }>(
      database,
      sql.raw(
        moved
          .map(
            (r) =>
              `select ${Number(r.i)} as i, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as sum, count(*)::int as n from ${selected[Number(r.i)]!.qualified} x${literal}`,
          )
          .join(' union all '),
      ),
    );
    const fingerprintOf = new Map(moved.map((r) => [Number(r.i), String(r.fp)]));
    for (const r of sums) cache.set(selected[Number(r.i)]!.name, { fingerprint: fingerprintOf.get(Number(r.i))!, sum: `${r.n}:${r.sum}` });
  }
  return Object.fromEntries(selected.map((t) => [t.name, cache.get(t.name)!.sum]));
}

/** Per database and company filter: each table's last fingerprint and md5. */
const checksumCache = new WeakMap<Database, Map<string, Map<string, { fingerprint: string; sum: string }>>>();

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).sort();
}

/** Every row of a table as JSON text; bytea columns are decoded as UTF-8 so stored bodies are read as sent. */
export async function tableText(database: Database, table: TableInfo): Promise<string[]> {
  const rows = await queryRows<Record<string, unknown>>(database, sql.raw(`select * from ${table.qualified}`));
  return rows.map((row) =>
    JSON.stringify(row, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
      if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
        return Buffer.from((value as { data: number[] }).data).toString('utf8');
      }
      return value;
    }),
  );
}
