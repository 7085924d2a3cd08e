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
 * md5 of each table's rows in a stable order (of their text form), in one statement. With
 * `companyId`, only that company's rows of the tables that carry `company_id` (the others are left out).
 */
export async function tableChecksums(database: Database, tables: TableInfo[], options: { companyId?: string } = {}): Promise<Record<string, string>> {
  const selected = options.companyId === undefined ? tables : tables.filter((t) => t.hasCompanyId);
  if (selected.length === 0) return {};
  const literal = options.companyId === undefined ? '' : ` where x.company_id = '${options.companyId.replace(/'/g, "''")}'`;
  const parts = selected.map(
    (t, i) => `select ${i} as i, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as sum, count(*)::int as n from ${t.qualified} x${literal}`,
  );
  const rows = await queryRows<{ i: number; sum: string; n: number }>(database, sql.raw(parts.join(' union all ')));
  const out: Record<string, string> = {};
  for (const r of rows) out[selected[Number(r.i)]!.name] = `${r.n}:${r.sum}`;
  return out;
}

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
