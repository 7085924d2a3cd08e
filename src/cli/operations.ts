import path from 'node:path';
import { ConfigError, type Config } from '../config.js';
import type { Services } from '../app.js';
import type { Database } from '../core/db/engine.js';
import { systemClock } from '../core/clock/clock.js';
import { createLogger } from '../core/log/logger.js';
import { createIdentityService } from '../auth/identity/index.js';
import { formatReport, verifyLedger } from '../core/ledger/index.js';
import { createMerchantService } from '../auth/merchant/index.js';
import { formatAmountString, parseRupees } from '../core/money/index.js';
import { createSandboxClock } from '../core/clock/sandbox-clock.js';
import { changeBbpsSettings, type BbpsSettings } from '../products/bbps/index.js';
import { istDate, wireSettlement } from '../products/gateway/settlements/index.js';
import { openConfigured, withDatabase } from './database.js';
import { required, type Cli } from './io.js';
import type { Values } from './options.js';

// `tijori merchant-key|ledger|bbps|settlement ...`: the operators' commands beside the identity ones.

/** `tijori merchant-key create|list|revoke`: the Payment Gateway's merchant keys (reference §1.2(a)). */
export async function merchantKeys(sub: string | undefined, values: Values, config: Config, cli: Cli): Promise<number> {
  const needs: Record<string, keyof Values> = { create: 'company', list: 'company', revoke: 'access-key' };
  const flag = sub === undefined ? undefined : needs[sub];
  if (flag === undefined) throw new Error(`no code for "tijori merchant-key ${sub ?? ''}"`);
  required(values, flag);
  await withDatabase(config, cli, async (database) => {
    const merchant = cli.io.server?.services.merchant ?? (await localMerchantService(config, database));
    if (sub === 'create') {
      const { key, secretKey } = await merchant.createKey(values.company!);
      cli.out(`Created merchant key for company ${key.companyId}`);
      cli.out(`  accessKey  ${key.accessKey}`);
      cli.out(`  secretKey  ${secretKey}`);
      cli.out('The secret key cannot be shown again; it also signs the checksum of this key’s payment notifications.');
    } else if (sub === 'list') {
      for (const key of await merchant.listKeys(values.company!)) cli.out(`${key.accessKey}  ${key.status}  created ${key.createdAt.toISOString()}`);
    } else {
      const key = await merchant.revokeKey(values['access-key']!);
      cli.out(`Revoked ${key.accessKey} of company ${key.companyId}`);
    }
  });
  return 0;
}

/** The merchant keys of a database this command opened, sealed with the key the server would use. */
async function localMerchantService(config: Config, database: Database) {
  const { secretsKeyFor } = await import('../app.js');
  const logger = createLogger('silent');
  const merchant = createMerchantService({
    database,
    clock: systemClock,
    secretsKey: secretsKeyFor(config, database, logger),
    tokenTtlSeconds: config.merchantTokenTtlSeconds,
  });
  // The key must be the server's: a secret sealed under another one (a key file this run made in
  // another folder) would fail that merchant's payments. Stop, naming the key this run used. (Run
  // through a live server, the server's own service is used: its start made the same check.)
  await merchant.checkSecretsKey().catch((err: unknown) => {
    const used = config.secretsKey !== undefined ? 'SECRETS_KEY' : `the key file ${path.resolve(config.dataDir, 'secrets.key')}`;
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}. This run used ${used}; give it the server's SECRETS_KEY or --data-dir`);
  });
  return merchant;
}

/** `tijori ledger verify`: 0 when every invariant holds, 1 with each break printed otherwise. */
export async function ledger(sub: string | undefined, values: Values, config: Config, cli: Cli): Promise<number> {
  if (sub !== 'verify') throw new Error(`no code for "tijori ledger ${sub ?? ''}"`);
  const report = await withDatabase(config, cli, (database) => verifyLedger(database.db, values.company ? { companyId: values.company } : {}));
  cli.out(formatReport(report));
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
export async function bbps(sub: string | undefined, values: Values, config: Config, cli: Cli): Promise<number> {
  if (sub !== 'settings') throw new Error(`no code for "tijori bbps ${sub ?? ''}"`);
  const companyId = required(values, 'company');
  const change = bbpsChange(values);
  const s = await withDatabase(config, cli, async (database) => {
    if (!(await createIdentityService({ db: database.db, clock: systemClock }).findCompany(companyId))) throw new ConfigError(`no company ${companyId}`);
    return changeBbpsSettings(database.db, createSandboxClock({ database, clock: systemClock }), companyId, change);
  });
  cli.out(
    `Bill Payments settings of ${companyId}: auto-debit ${s.autoDebit ? 'on' : 'off'}, at most ${s.maxBillsPerConsumerPerDay} bills and ₹${formatAmountString(s.maxAmountPerConsumerPerDayPaise, 'INR')} per consumer per day`,
  );
  return 0;
}

/** `--date YYYY-MM-DD` of `tijori settlement run`, checked before the database is opened. */
function batchDateOption(values: Values): string | undefined {
  const date = values.date;
  if (date === undefined) return undefined;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    throw new ConfigError(`--date must be a date YYYY-MM-DD (got "${date}")`);
  return date;
}

/**
 * `tijori settlement run`: the settlement batch of one IST date, now (a batch whose timer was lost,
 * or an operator's re-run). It builds the services without workers or an HTTP listener; the batch
 * takes the company's settlement lock, so it may run beside the timer or another run.
 */
export async function settlement(sub: string | undefined, values: Values, config: Config, cli: Cli): Promise<number> {
  if (sub !== 'run') throw new Error(`no code for "tijori settlement ${sub ?? ''}"`);
  const companyId = required(values, 'company');
  const requested = batchDateOption(values);
  if (cli.io.server) return runSettlement(cli.io.server.services, companyId, requested, cli);
  const { buildApp } = await import('../app.js');
  const database = await openConfigured(config, cli);
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  try {
    const built = await buildApp({ config, database, clock: systemClock, logger: createLogger('silent'), background: { workers: false, timerPollMs: null } });
    app = built.app;
    return await runSettlement(built.services, companyId, requested, cli);
  } finally {
    await app?.close();
    await database.close();
  }
}

async function runSettlement(services: Services, companyId: string, requested: string | undefined, cli: Cli): Promise<number> {
  const { identity, clocks, gatewayMoney } = services;
  if (!(await identity.findCompany(companyId))) throw new ConfigError(`no company ${companyId}`);
  const today = istDate(await clocks.now(companyId));
  const batchDate = requested ?? today;
  // A batch of a later date would take payments that belong to the batches before it.
  if (batchDate > today) throw new ConfigError(`--date ${batchDate} is after the company's date today (${today} IST on its sandbox clock)`);
  const { created } = await gatewayMoney.settlements.runBatch(companyId, batchDate);
  const { rows } = await gatewayMoney.settlements.search(companyId, {
    batchDateFrom: batchDate,
    batchDateTo: batchDate,
    ranges: [],
    offset: 0,
    limit: 100,
    orderBy: 'createdOn',
    direction: 'ASC',
  });
  cli.out(`Settlement batch ${batchDate} of ${companyId}: ${created ? 'created by this run' : rows.length > 0 ? 'already existed' : 'nothing was due'}`);
  for (const row of rows.map(wireSettlement)) {
    cli.out(
      `  ${row.settlementPayoutId}  ${row.splitAccountId ?? 'MERCHANT'}  ${row.transactionCount} payments  ${row.refundCount} refunds  ₹${row.totalSettlementAmount}  ${row.payoutStatus}`,
    );
  }
  return 0;
}
