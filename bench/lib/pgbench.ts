/**
 * The database's own rate for one transaction shaped like a payment capture, measured with
 * pgbench (PostgreSQL's benchmark client, C, one connection per client): one payment row, two
 * ledger entries (debit the rail's clearing account, credit the merchant), one balance update,
 * committed. It runs in its own schema of the scratch database, beside Tijori's tables.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Sample } from './stats.js';

export const PGBENCH = process.env['BENCH_PGBENCH'] || '/usr/bin/pgbench';
const SCHEMA = 'bench_payment';

/**
 * The tables of the baseline, in the image of Tijori's (a payment row with its amounts and
 * status, double-entry lines, a balance per account), and `balanceRows` balances (1: every
 * payment credits the one merchant, as every Tijori flow of the run pays the one sandbox company).
 */
export async function createPgbenchSchema(url: string, balanceRows: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create schema ${SCHEMA};
      create table ${SCHEMA}.payments (
        id bigserial primary key,
        company_id text not null,
        order_id text not null,
        status text not null,
        payment_mode text not null,
        amount_paise bigint not null,
        final_amount_paise bigint not null,
        captured_at timestamptz not null default now()
      );
      create table ${SCHEMA}.ledger_entries (
        id bigserial primary key,
        payment_id bigint not null references ${SCHEMA}.payments (id),
        account_id integer not null,
        amount_paise bigint not null,
        created_at timestamptz not null default now()
      );
      create table ${SCHEMA}.balances (account_id integer primary key, balance_paise bigint not null);
      insert into ${SCHEMA}.balances select g, 0 from generate_series(0, ${balanceRows}) g;
    `);
  } finally {
    await client.end();
  }
}

/** The transaction pgbench repeats; account 0 is the clearing account, 1..balanceRows the merchants. */
export function pgbenchScript(balanceRows: number): string {
  return `\\set merchant random(1, ${balanceRows})
\\set amount random(100, 10000000)
\\set debit -1 * :amount
BEGIN;
INSERT INTO ${SCHEMA}.payments (company_id, order_id, status, payment_mode, amount_paise, final_amount_paise) VALUES ('CEK1GZBO6A', 'ORD-' || :client_id || '-' || :amount, 'SUCCESS', 'CREDIT_CARD', :amount, :amount) RETURNING id \\gset
INSERT INTO ${SCHEMA}.ledger_entries (payment_id, account_id, amount_paise) VALUES (:id, 0, :debit), (:id, :merchant, :amount);
UPDATE ${SCHEMA}.balances SET balance_paise = balance_paise + :amount WHERE account_id = :merchant;
COMMIT;
`;
}

export interface PgbenchResult {
  sample: Sample;
  /** CPU seconds (user + system) of the pgbench process itself. */
  pgbenchCpuSeconds: number;
  /** pgbench's summary lines (tps, latency average, failures). */
  summary: string;
}

/**
 * Runs pgbench for `seconds` with `clients` connections over `threads` threads, extended query
 * protocol (parameters bound as Tijori's driver binds them), per-transaction logs for the
 * latency percentiles. Its own CPU is read with the shell's `times` after it exits.
 */
export async function runPgbench(options: {
  url: string;
  script: string;
  clients: number;
  threads: number;
  seconds: number;
  log: boolean;
}): Promise<PgbenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tijori-pgbench-'));
  try {
    const scriptFile = path.join(dir, 'payment.sql');
    writeFileSync(scriptFile, options.script);
    const args = [
      '--no-vacuum',
      '--protocol=extended',
      `--file=${scriptFile}`,
      `--client=${options.clients}`,
      `--jobs=${options.threads}`,
      `--time=${Math.max(1, Math.round(options.seconds))}`,
      ...(options.log ? ['--log', `--log-prefix=${path.join(dir, 'log')}`] : []),
      options.url,
    ];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // bash runs pgbench, then `times` prints the CPU its children used (pgbench's, exactly).
      const child = spawn('bash', ['-c', '"$0" "$@"; code=$?; times; exit $code', PGBENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    if (code !== 0) throw new Error(`pgbench exited with ${code}\n${stderr.slice(-4000)}\n${stdout.slice(-4000)}`);
    const result = parsePgbenchOutput(stdout);
    const latenciesMs = options.log ? readTransactionLogs(dir) : [];
    return {
      sample: {
        ok: result.processed,
        non2xx: result.failed,
        errors: 0,
        statusCodes: {},
        seconds: result.tps > 0 ? result.processed / result.tps : options.seconds,
        latenciesMs,
      },
      pgbenchCpuSeconds: result.childCpuSeconds,
      summary: result.summary,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = (m: string, s: string) => Number(m) * 60 + Number(s);

/** Reads pgbench's summary and the `times` lines bash printed after it. */
export function parsePgbenchOutput(stdout: string): { processed: number; failed: number; tps: number; childCpuSeconds: number; summary: string } {
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? Number.NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? Number.NaN);
  if (!Number.isFinite(processed) || !Number.isFinite(tps)) throw new Error(`pgbench printed no transaction count or tps:\n${stdout}`);
  // `times`: the shell's own user/system time, then its children's ("0m1.234s 0m0.567s").
  const times = [...stdout.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  const children = times[times.length - 1];
  const childCpuSeconds = children ? seconds(children[1]!, children[2]!) + seconds(children[3]!, children[4]!) : Number.NaN;
  const summary = stdout
    .split('\n')
    .filter((l) => /^(latency average|tps|number of failed|number of transactions actually)/.test(l))
    .join('; ');
  return { processed, failed, tps, childCpuSeconds, summary };
}

/**
 * Latencies in milliseconds from pgbench's per-transaction logs (`--log`, one file per thread):
 * `client_id transaction_no time script_no time_epoch time_us ...`, `time` in microseconds, or
 * `failed` / `skipped` for a transaction that did not complete (left out).
 */
export function readTransactionLogs(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(dir).filter((f) => f.startsWith('log.'))) {
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      const time = line.split(' ', 3)[2];
      if (time !== undefined && /^\d+$/.test(time)) out.push(Number(time) / 1000);
    }
  }
  return out;
}
