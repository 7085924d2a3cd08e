import { parseArgs } from 'node:util';
import { buildApp, secretsKeyFor, VERSION } from './app.js';
import { ConfigError, loadConfig, SETTINGS, type Config } from './config.js';
import { systemClock } from './core/clock/clock.js';
import { DataDirLockedError } from './core/db/data-dir-lock.js';
import { openDatabase, type Database } from './core/db/engine.js';
import { createLogger } from './core/log/logger.js';
import { AppError } from './core/errors/app-error.js';
import {
  createIdentityService,
  GRANT_TYPES,
  PAYLOAD_ENCRYPTION_MODES,
  PAYOUT_CHECKSUM_MODES,
  type GrantType,
  type NewClientInput,
  type PayloadEncryptionMode,
  type PayoutChecksumMode,
} from './auth/identity/index.js';
import { SANDBOX, seedSandbox } from './auth/seed.js';
import { formatReport, verifyLedger } from './core/ledger/index.js';
import { createMerchantService } from './auth/merchant/index.js';
import { formatAmountString, parseRupees } from './core/money/index.js';
import { createSandboxClock } from './core/clock/sandbox-clock.js';
import { changeBbpsSettings, type BbpsSettings } from './products/bbps/index.js';
import { istDate, wireSettlement } from './products/gateway/settlements/index.js';

const USAGE = `Usage: tijori <command> [options]

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
                                Create the company's OAuth client; its secret is printed once
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

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function required(values: Values, name: keyof Values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new ConfigError(`--${String(name)} is required`);
  return v;
}

function seconds(values: Values, name: 'access-token-ttl' | 'refresh-token-ttl'): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`--${name} must be a whole number of seconds (got "${v}")`);
  return Number(v);
}

async function openConfigured(config: Config): Promise<Database> {
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir },
  );
  try {
    await database.migrate();
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await openConfigured(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/**
 * `start` serves HTTP (and, unless --no-workers, runs the background work); `worker` runs only
 * the background work: job workers and the sandbox-timer poller, from the same composition root.
 */
async function serve(config: Config, mode: 'start' | 'worker'): Promise<number> {
  const logger = createLogger(config.logLevel);
  const database = await openConfigured(config);
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  try {
    const background = mode === 'worker' ? { workers: true, timerPollMs: config.timerPollMs } : undefined;
    const built = await buildApp({ config, database, clock: systemClock, logger, ...(background ? { background } : {}) });
    app = built.app;
    if (mode === 'start') {
      if (config.seed) await seedSandbox(built.services);
      const address = await app.listen({ port: config.port, host: config.host });
      printBanner(config, database, address.replace('[::1]', 'localhost'));
    } else {
      await app.ready();
      out(`Tijori ${VERSION} worker is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : `PostgreSQL ${database.location}`})`);
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } finally {
    // Also when the start fails (a port in use): the data-folder lock and the pool are released.
    await app?.close();
    await database.close();
  }
}

function printBanner(config: Config, database: Database, base: string): void {
  out(`Tijori ${VERSION} is listening`);
  out(`  API            ${base}`);
  out(`  API reference  ${base}/docs   (OpenAPI: ${base}/openapi.json)`);
  out(`  Database       ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : `PostgreSQL ${database.location}`}`);
  if (config.seed) {
    out('  Sandbox company (portal page test data):');
    out(`    clientId       ${SANDBOX.companyId}`);
    out(`    client secret  ${SANDBOX.clientSecret}`);
    out(`    username       ${SANDBOX.username}`);
    out(`    password       ${SANDBOX.password}`);
    out('  Payment Gateway merchant keys (POST /api/v0/merchant/token):');
    out(`    accessKey      ${SANDBOX.merchantAccessKey}`);
    out(`    secretKey      ${SANDBOX.merchantSecretKey}`);
  }
}

type Identity = ReturnType<typeof createIdentityService>;

/** Admin subcommands: their required flags are checked before the database is opened. */
const ADMIN: Record<string, { required: (keyof Values)[]; run(identity: Identity, values: Values): Promise<void> }> = {
  'company create': {
    required: ['name'],
    async run(identity, values) {
      const company = await identity.createCompany({ name: values.name!, ...(values.id ? { id: values.id } : {}) });
      if (companyMode(values) === 'live') await identity.setSandboxMode(company.id, false);
      out(`Created company ${company.id} (${company.name}) in ${companyMode(values) ?? 'sandbox'} mode`);
    },
  },
  'company set-mode': {
    required: ['company', 'mode'],
    async run(identity, values) {
      await identity.setSandboxMode(values.company!, companyMode(values) === 'sandbox');
      out(`Company ${values.company} is now in ${values.mode} mode`);
    },
  },
  'user create': {
    required: ['company', 'username'],
    async run(identity, values) {
      const generated = values.password === undefined;
      const password = values.password ?? `Tj@${Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url')}`;
      const user = await identity.createUser({ companyId: values.company!, username: values.username!, password });
      out(`Created user ${user.username} in company ${user.companyId}`);
      if (generated) out(`Password (shown once): ${password}`);
    },
  },
  'user unlock': {
    required: ['username'],
    async run(identity, values) {
      await identity.unlockUser(values.username!);
      out(`Unlocked ${values.username}`);
    },
  },
  'user disable': {
    required: ['username'],
    async run(identity, values) {
      await identity.setUserEnabled(values.username!, false);
      out(`Disabled ${values.username}`);
    },
  },
  'user enable': {
    required: ['username'],
    async run(identity, values) {
      await identity.setUserEnabled(values.username!, true);
      out(`Enabled ${values.username}`);
    },
  },
  'client create': {
    required: ['company'],
    async run(identity, values) {
      const { client, secret } = await identity.createClient({
        companyId: values.company!,
        ...clientOptions(values),
      });
      out(`Created OAuth client ${client.clientId}`);
      out(`  grants        ${client.grantTypes.join(', ')}`);
      out(`  scopes        ${client.scopes.join(' ')}`);
      out(`  client secret ${secret}`);
      out('The secret is stored only as a digest and cannot be shown again.');
    },
  },
  'client set-payout-checksum': {
    required: ['company', 'payout-checksum'],
    async run(identity, values) {
      await identity.setPayoutChecksum(values.company!, payoutChecksum(values)!);
      out(`Client ${values.company} now verifies payout checksums: ${values['payout-checksum']}`);
    },
  },
};

/** `--payout-checksum off|lenient|strict`, checked before the database is opened. */
function payoutChecksum(values: Values): PayoutChecksumMode | undefined {
  const mode = values['payout-checksum'];
  if (mode === undefined) return undefined;
  if (!(PAYOUT_CHECKSUM_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`--payout-checksum must be one of ${PAYOUT_CHECKSUM_MODES.join(', ')} (got "${mode}")`);
  }
  return mode as PayoutChecksumMode;
}

/** `--mode sandbox|live`, checked before the database is opened. */
function companyMode(values: Values): 'sandbox' | 'live' | undefined {
  if (values.mode === undefined) return undefined;
  if (values.mode !== 'sandbox' && values.mode !== 'live') throw new ConfigError(`--mode must be sandbox or live (got "${values.mode}")`);
  return values.mode;
}

function clientOptions(values: Values): Omit<NewClientInput, 'companyId'> {
  const grants = values.grants?.split(',').map((g) => g.trim()).filter(Boolean);
  if (grants && grants.some((g) => !(GRANT_TYPES as readonly string[]).includes(g))) {
    throw new ConfigError(`--grants takes a comma-separated list of ${GRANT_TYPES.join(', ')}`);
  }
  const mode = values['payload-encryption'];
  if (mode !== undefined && !(PAYLOAD_ENCRYPTION_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`--payload-encryption must be one of ${PAYLOAD_ENCRYPTION_MODES.join(', ')} (got "${mode}")`);
  }
  return {
    ...(grants ? { grantTypes: grants as GrantType[] } : {}),
    ...(values.scopes ? { scopes: values.scopes.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(values['access-token-ttl'] ? { accessTokenTtlSeconds: seconds(values, 'access-token-ttl')! } : {}),
    ...(values['refresh-token-ttl'] ? { refreshTokenTtlSeconds: seconds(values, 'refresh-token-ttl')! } : {}),
    ...(mode ? { payloadEncryption: mode as PayloadEncryptionMode } : {}),
    ...(values['payout-checksum'] ? { payoutChecksum: payoutChecksum(values)! } : {}),
  };
}

async function admin(command: string, sub: string | undefined, values: Values, config: Config): Promise<number> {
  const key = `${command} ${sub ?? ''}`.trim();
  const entry = ADMIN[key];
  if (!entry) {
    process.stderr.write(`tijori: unknown command "${key}"\n\n${USAGE}`);
    return 2;
  }
  for (const name of entry.required) required(values, name);
  if (key === 'client create') clientOptions(values);
  companyMode(values);
  payoutChecksum(values);
  await withDatabase(config, (database) => entry.run(createIdentityService({ db: database.db, clock: systemClock }), values));
  return 0;
}

/** `tijori merchant-key create|list|revoke`: the Payment Gateway's merchant keys (reference §1.2(a)). */
async function merchantKeys(sub: string | undefined, values: Values, config: Config): Promise<number> {
  const needs: Record<string, keyof Values> = { create: 'company', list: 'company', revoke: 'access-key' };
  const flag = sub === undefined ? undefined : needs[sub];
  if (flag === undefined) {
    process.stderr.write(`tijori: unknown command "merchant-key ${sub ?? ''}"\n\n${USAGE}`);
    return 2;
  }
  required(values, flag);
  await withDatabase(config, async (database) => {
    const logger = createLogger('silent');
    const merchant = createMerchantService({ database, clock: systemClock, secretsKey: secretsKeyFor(config, database, logger), tokenTtlSeconds: config.merchantTokenTtlSeconds });
    if (sub === 'create') {
      const { key, secretKey } = await merchant.createKey(values.company!);
      out(`Created merchant key for company ${key.companyId}`);
      out(`  accessKey  ${key.accessKey}`);
      out(`  secretKey  ${secretKey}`);
      out('The secret key cannot be shown again; it also signs the checksum of this key’s payment notifications.');
    } else if (sub === 'list') {
      for (const key of await merchant.listKeys(values.company!)) out(`${key.accessKey}  ${key.status}  created ${key.createdAt.toISOString()}`);
    } else {
      const key = await merchant.revokeKey(values['access-key']!);
      out(`Revoked ${key.accessKey} of company ${key.companyId}`);
    }
  });
  return 0;
}

/** `tijori ledger verify`: 0 when every invariant holds, 1 with each break printed otherwise. */
async function ledger(sub: string | undefined, values: Values, config: Config): Promise<number> {
  if (sub !== 'verify') {
    process.stderr.write(`tijori: unknown command "ledger ${sub ?? ''}"\n\n${USAGE}`);
    return 2;
  }
  const report = await withDatabase(config, (database) => verifyLedger(database.db, values.company ? { companyId: values.company } : {}));
  out(formatReport(report));
  return report.breaks.length === 0 ? 0 : 1;
}

/** `--auto-debit` and the velocity limits of `tijori bbps settings`, checked before the database is opened. */
function bbpsChange(values: Values): Partial<BbpsSettings> {
  const change: Partial<BbpsSettings> = {};
  const auto = values['auto-debit'];
  if (auto !== undefined) {
    if (auto !== 'on' && auto !== 'off') throw new ConfigError(`--auto-debit must be on or off (got "${auto}")`);
    change.autoDebit = auto === 'on';
  }
  const count = values['max-bills-per-consumer-per-day'];
  if (count !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(count)) throw new ConfigError(`--max-bills-per-consumer-per-day must be a whole number from 1 (got "${count}")`);
    change.maxBillsPerConsumerPerDay = Number(count);
  }
  const amount = values['max-amount-per-consumer-per-day'];
  if (amount !== undefined) {
    try {
      change.maxAmountPerConsumerPerDayPaise = parseRupees(amount, { field: 'max-amount-per-consumer-per-day' });
    } catch (err) {
      throw new ConfigError(`--${(err as Error).message.replace(/^Invalid field /, '')}`);
    }
  }
  return change;
}

/** `tijori bbps settings`: changes a company's Bill Payments settings and prints those in force. */
async function bbps(sub: string | undefined, values: Values, config: Config): Promise<number> {
  if (sub !== 'settings') {
    process.stderr.write(`tijori: unknown command "bbps ${sub ?? ''}"\n\n${USAGE}`);
    return 2;
  }
  const companyId = required(values, 'company');
  const change = bbpsChange(values);
  const s = await withDatabase(config, async (database) => {
    if (!(await createIdentityService({ db: database.db, clock: systemClock }).findCompany(companyId))) throw new ConfigError(`no company ${companyId}`);
    return changeBbpsSettings(database.db, createSandboxClock({ database, clock: systemClock }), companyId, change);
  });
  out(`Bill Payments settings of ${companyId}: auto-debit ${s.autoDebit ? 'on' : 'off'}, at most ${s.maxBillsPerConsumerPerDay} bills and ₹${formatAmountString(s.maxAmountPerConsumerPerDayPaise, 'INR')} per consumer per day`);
  return 0;
}

/** `--date YYYY-MM-DD` of `tijori settlement run`, checked before the database is opened. */
function batchDateOption(values: Values): string | undefined {
  const date = values.date;
  if (date === undefined) return undefined;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) throw new ConfigError(`--date must be a date YYYY-MM-DD (got "${date}")`);
  return date;
}

/**
 * `tijori settlement run`: the settlement batch of one IST date, now (a batch whose timer was lost,
 * or an operator's re-run). It builds the services without workers or an HTTP listener; the batch
 * takes the company's settlement lock, so it may run beside the timer or another run.
 */
async function settlement(sub: string | undefined, values: Values, config: Config): Promise<number> {
  if (sub !== 'run') {
    process.stderr.write(`tijori: unknown command "settlement ${sub ?? ''}"\n\n${USAGE}`);
    return 2;
  }
  const companyId = required(values, 'company');
  const requested = batchDateOption(values);
  const database = await openConfigured(config);
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  try {
    const built = await buildApp({ config, database, clock: systemClock, logger: createLogger('silent'), background: { workers: false, timerPollMs: null } });
    app = built.app;
    const { identity, clocks, gatewayMoney } = built.services;
    if (!(await identity.findCompany(companyId))) throw new ConfigError(`no company ${companyId}`);
    const today = istDate(await clocks.now(companyId));
    const batchDate = requested ?? today;
    // A batch of a later date would take payments that belong to the batches before it.
    if (batchDate > today) throw new ConfigError(`--date ${batchDate} is after the company's date today (${today} IST on its sandbox clock)`);
    const { created } = await gatewayMoney.settlements.runBatch(companyId, batchDate);
    const { rows } = await gatewayMoney.settlements.search(companyId, { batchDateFrom: batchDate, batchDateTo: batchDate, ranges: [], offset: 0, limit: 100, orderBy: 'createdOn', direction: 'ASC' });
    out(`Settlement batch ${batchDate} of ${companyId}: ${created ? 'created by this run' : rows.length > 0 ? 'already existed' : 'nothing was due'}`);
    for (const row of rows.map(wireSettlement)) {
      out(`  ${row.settlementPayoutId}  ${row.splitAccountId ?? 'MERCHANT'}  ${row.transactionCount} payments  ${row.refundCount} refunds  ₹${row.totalSettlementAmount}  ${row.payoutStatus}`);
    }
    return 0;
  } finally {
    await app?.close();
    await database.close();
  }
}

/** The `tijori` command. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, sub] = positionals;
    if (values.help || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const config = loadConfig(values as Record<string, string | boolean | undefined>);
    if (command === 'start' || command === 'worker') return await serve(config, command);
    if (command === 'migrate') {
      await withDatabase(config, async (db) => out(`Migrations applied (${db.kind === 'pglite' ? config.dataDir : db.location})`));
      return 0;
    }
    if (['company', 'user', 'client'].includes(command)) return await admin(command, sub, values, config);
    if (command === 'ledger') return await ledger(sub, values, config);
    if (command === 'merchant-key') return await merchantKeys(sub, values, config);
    if (command === 'bbps') return await bbps(sub, values, config);
    if (command === 'settlement') return await settlement(sub, values, config);
    process.stderr.write(`tijori: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tijori: ${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof DataDirLockedError || err instanceof AppError || (err as { code?: string }).code === 'EADDRINUSE') {
      process.stderr.write(`tijori: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
