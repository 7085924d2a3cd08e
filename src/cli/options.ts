import type { parseArgs } from 'node:util';
import { SETTINGS } from '../config.js';

/**
 * The `tijori` commands as `--help` lists them: a usage (its continuation lines indented under the
 * first) and what it does. `tijori company` alone lists the entries of `company`, and a mistyped
 * command or subcommand is matched against these usages (src/cli/suggest.ts).
 */
export const COMMAND_HELP: Array<{ usage: string[]; description: string }> = [
  { usage: ['start'], description: 'Start the server (applies migrations; seeds the sandbox company)' },
  { usage: ['worker'], description: 'Run job workers and sandbox timers without the HTTP server (beside `start --no-workers`)' },
  { usage: ['migrate'], description: 'Apply database migrations and exit' },
  { usage: ['company create --name N [--id CEKXXXXXXX] [--mode sandbox|live]'], description: 'Create a company (sandbox mode by default); prints its id' },
  { usage: ['company set-mode --company ID --mode sandbox|live'], description: 'Live companies may not send webhooks to private or loopback addresses' },
  { usage: ['company disable --company ID'], description: "Refuse the company's client and end every token of its users and client at once" },
  { usage: ['company enable --company ID'], description: 'Let a disabled company log in again (its ended tokens stay ended)' },
  { usage: ['user create --company ID --username U [--password P]'], description: 'Create a user (a password is generated and printed when omitted)' },
  { usage: ['user unlock --username U'], description: 'Clear a lock after bad passwords' },
  { usage: ['user disable --username U'], description: 'Refuse the user\'s logins ("User is disabled") and end their tokens at once' },
  { usage: ['user enable --username U'], description: 'Let a disabled user log in again (their ended tokens stay ended)' },
  {
    usage: [
      'client create --company ID [--grants password,refresh_token,client_credentials]',
      '  [--scopes "read write trust"] [--access-token-ttl SECONDS] [--refresh-token-ttl SECONDS]',
      '  [--payload-encryption required|optional|off] [--payout-checksum off|lenient|strict]',
    ],
    description: "Create the company's OAuth client; its secret is printed once; payloads AES-wrapped (required) unless --payload-encryption says otherwise",
  },
  {
    usage: ['client set-payload-encryption --company ID --payload-encryption required|optional|off'],
    description: "Whether the client's payout bodies are AES-wrapped (docs/api/payouts.md)",
  },
  {
    usage: ['client set-payout-checksum --company ID --payout-checksum off|lenient|strict'],
    description: "How payout requests' checksum is verified (docs/api/payouts.md)",
  },
  {
    usage: ['client set-payouts --company ID --payouts on|off'],
    description: 'Turn the client\'s payout APIs on or off (off: 403 "APIs not enabled"; clients are on by default)',
  },
  { usage: ['client revoke --company ID'], description: "Revoke the company's OAuth client for good; its tokens stop working at once" },
  { usage: ['merchant-key create --company ID'], description: 'Create a Payment Gateway accessKey and secretKey (the secret is printed once)' },
  { usage: ['merchant-key list --company ID'], description: "List the company's merchant keys" },
  { usage: ['merchant-key revoke --access-key KEY'], description: 'Revoke a key; its tokens stop working at once' },
  { usage: ['ledger verify [--company ID]'], description: 'Check every ledger invariant; exits 1 and names each break' },
  {
    usage: ['settlement run --company ID [--date YYYY-MM-DD]'],
    description: "Run the company's gateway settlement batch of an IST date (today on its sandbox clock) now",
  },
  {
    usage: ['bbps settings --company ID [--auto-debit on|off] [--max-bills-per-consumer-per-day N]', '  [--max-amount-per-consumer-per-day RUPEES]'],
    description: 'Bill Payments settings; prints those in force (docs/api/bbps.md)',
  },
  {
    usage: [
      'verify upload FILE --type pan|gstin|aadhaar|cin|llpin|bank-account|name-match',
      '  [--company ID] [--reference REF] [--purpose TEXT] [--out PATH]',
    ],
    description: 'Run a CSV as a bulk verification job, showing its progress; writes the result CSV (FILE-result.csv by default)',
  },
  { usage: ['verify start FILE --type TYPE [--company ID] [--reference REF]'], description: 'Start a bulk verification job and print its id' },
  { usage: ['verify status JOB [--company ID]'], description: "A bulk job's status and rows done" },
  { usage: ['verify result JOB --out PATH [--company ID]'], description: "Write a bulk job's result CSV" },
];

/** Rows as aligned columns: each cell padded to its column's widest, two spaces between columns. */
export function columns(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('')}`.trimEnd());
}

/** The commands column: a usage whose first line is longer than this gets its description on the next line. */
const USAGE_COLUMN = 38;

/** `entries` of COMMAND_HELP as help lines, each description starting at the same column. */
export function commandLines(entries: typeof COMMAND_HELP): string[] {
  const lines: string[] = [];
  for (const { usage, description } of entries) {
    const [first, ...rest] = usage;
    if (first!.length <= USAGE_COLUMN && rest.length === 0) {
      lines.push(`  ${first!.padEnd(USAGE_COLUMN + 2)}${description}`);
    } else {
      lines.push(...usage.map((line) => `  ${line}`), `  ${' '.repeat(USAGE_COLUMN + 2)}${description}`);
    }
  }
  return lines;
}

/** The `tijori` command's usage text: no import beyond config.ts, so that `tijori --help` stays light. */
export const USAGE = `Usage: tijori <command> [options]

Commands:
${commandLines(COMMAND_HELP).join('\n')}

Options (each also read from the environment variable shown):
${columns(SETTINGS.map((s) => [s.flag, s.env, s.description])).join('\n')}
  -h, --help
`;

export const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'log-level': { type: 'string' },
  seed: { type: 'boolean' },
  'no-seed': { type: 'boolean' },
  'body-limit-bytes': { type: 'string' },
  'lockout-attempts': { type: 'string' },
  'lockout-minutes': { type: 'string' },
  'token-rate-per-client': { type: 'string' },
  'token-rate-per-username': { type: 'string' },
  'refresh-grace-seconds': { type: 'string' },
  'webhook-timeout-ms': { type: 'string' },
  'secrets-key': { type: 'string' },
  mode: { type: 'string' },
  workers: { type: 'boolean' },
  'no-workers': { type: 'boolean' },
  'timer-poll-ms': { type: 'string' },
  'imps-max-rupees': { type: 'string' },
  'upi-transfer-max-rupees': { type: 'string' },
  'rtgs-min-rupees': { type: 'string' },
  'idempotency-retention-hours': { type: 'string' },
  'idempotency-lease-seconds': { type: 'string' },
  'public-url': { type: 'string' },
  'trust-proxy': { type: 'string' },
  'merchant-token-ttl-seconds': { type: 'string' },
  'access-key': { type: 'string' },
  name: { type: 'string' },
  id: { type: 'string' },
  company: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  grants: { type: 'string' },
  scopes: { type: 'string' },
  'access-token-ttl': { type: 'string' },
  'refresh-token-ttl': { type: 'string' },
  'payload-encryption': { type: 'string' },
  'payout-checksum': { type: 'string' },
  payouts: { type: 'string' },
  'auto-debit': { type: 'string' },
  date: { type: 'string' },
  'max-bills-per-consumer-per-day': { type: 'string' },
  'max-amount-per-consumer-per-day': { type: 'string' },
  type: { type: 'string' },
  reference: { type: 'string' },
  purpose: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
