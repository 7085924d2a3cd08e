import type { parseArgs } from 'node:util';
import { SETTINGS } from '../config.js';

/** The `tijori` command's usage text and flags: no import beyond config.ts, so that `tijori --help` stays light. */
export const USAGE = `Usage: tijori <command> [options]

Commands:
  start                         Start the server (applies migrations; seeds the sandbox company)
  worker                        Run job workers and sandbox timers without the HTTP server
                                (beside \`start --no-workers\` processes on one PostgreSQL)
  migrate                       Apply database migrations and exit
  company create --name N [--id CEKXXXXXXX] [--mode sandbox|live]   (sandbox by default)
  company set-mode --company ID --mode sandbox|live
                                Live companies may not send webhooks to private or loopback addresses
  user create --company ID --username U [--password P]   (a password is generated when omitted)
  user unlock --username U      Clear a lock after bad passwords
  user disable --username U     Refuse the user's logins ("User is disabled")
  user enable --username U
  client create --company ID [--grants password,refresh_token,client_credentials]
                [--scopes "read write trust"] [--access-token-ttl SECONDS]
                [--refresh-token-ttl SECONDS] [--payload-encryption required|optional|off]
                [--payout-checksum off|lenient|strict]
                                Create the company's OAuth client; its secret is printed once;
                                payloads AES-wrapped (required) unless --payload-encryption says otherwise
  client set-payload-encryption --company ID --payload-encryption required|optional|off
                                Whether the client's payout bodies are AES-wrapped (docs/api/payouts.md)
  client set-payout-checksum --company ID --payout-checksum off|lenient|strict
                                How payout requests' checksum is verified (docs/api/payouts.md)
  merchant-key create --company ID
                                Create a Payment Gateway accessKey and secretKey (the secret is printed once)
  merchant-key list --company ID
  merchant-key revoke --access-key KEY
                                Revoke a key; its tokens stop working at once
  ledger verify [--company ID]  Check every ledger invariant; exits 1 and names each break
  settlement run --company ID [--date YYYY-MM-DD]
                                Run the company's gateway settlement batch of an IST date (today on
                                its sandbox clock by default) now; safe beside the 10:00 IST timer
  bbps settings --company ID [--auto-debit on|off] [--max-bills-per-consumer-per-day N]
                [--max-amount-per-consumer-per-day RUPEES]
                                Bill Payments settings; prints those in force (docs/api/bbps.md)

Options (each also read from the environment variable shown):
${SETTINGS.map((s) => `  ${s.flag.padEnd(28)}${s.env.padEnd(32)}${s.description}`).join('\n')}
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
  'auto-debit': { type: 'string' },
  date: { type: 'string' },
  'max-bills-per-consumer-per-day': { type: 'string' },
  'max-amount-per-consumer-per-day': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
