import path from 'node:path';

/** Typed configuration from the environment and command-line flags, validated at start. */
export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded PGlite database; unused when databaseUrl is set. */
  dataDir: string;
  /** PostgreSQL connection string; when set the embedded database is not used. */
  databaseUrl: string | undefined;
  logLevel: LogLevel;
  /** Seed the sandbox company of the portal page. */
  seed: boolean;
  bodyLimitBytes: number;
  oauth: OAuthSettings;
  webhooks: WebhookSettings;
  /** Hex 32-byte master key sealing webhook secrets at rest; when unset a key file in dataDir is used. */
  secretsKey: string | undefined;
  /** Run job workers and sandbox timers inside `tijori start` (a `tijori worker` process runs them too). */
  workers: boolean;
  /** Real milliseconds between two looks for sandbox timers that fell due. */
  timerPollMs: number;
  /** Amount limits of the simulated bank-transfer rail, in paise. */
  transferLimits: { impsMaxPaise: bigint; upiMaxPaise: bigint; rtgsMinPaise: bigint };
  idempotency: IdempotencySettings;
  /** Base URL of the public pages (hosted checkout, simulated bank pages) in gateway answers; unset: each request's own origin. */
  publicUrl: string | undefined;
  /** Lifetime of a Payment Gateway merchant token (`POST /api/v0/merchant/token`). */
  merchantTokenTtlSeconds: number;
  /**
   * Fastify's `trustProxy`: whom to believe for the client address in `X-Forwarded-For` (and the
   * scheme and host in `X-Forwarded-Proto`/`-Host`). false (the default): the socket's peer is the
   * client. true: every proxy; a number: that many hops; a string: the proxies' addresses or CIDRs.
   */
  trustProxy: boolean | number | string;
}

export interface IdempotencySettings {
  /** How long a completed Idempotency-Key answers with its stored response (Stripe keeps 24 h at least). */
  retentionHours: number;
  /** How long an in-progress claim holds before a retry may take it over (the first process died). */
  leaseSeconds: number;
}

export interface WebhookSettings {
  /** Deadline of one delivery attempt (connect, send, read the answer). */
  timeoutMs: number;
}

export interface OAuthSettings {
  /** Consecutive bad passwords that lock an account (EnKash documents 3). */
  lockoutAttempts: number;
  /** How long a lock lasts before it lifts by itself. */
  lockoutMinutes: number;
  /** Token requests per minute for one authenticated client. */
  ratePerClientPerMinute: number;
  /** Password-grant attempts per minute for one username, counted before any hash is computed. */
  ratePerUsernamePerMinute: number;
  /** Window in which a retried refresh gets the same successor instead of a reuse verdict. */
  refreshReuseGraceSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

interface Setting {
  env: string;
  flag: string;
  description: string;
  default: string;
}

/** The documented settings; README's configuration table is checked against this list by a test. */
export const SETTINGS: Setting[] = [
  { env: 'PORT', flag: '--port', description: 'HTTP port', default: '8080' },
  { env: 'HOST', flag: '--host', description: 'Interface to listen on', default: '127.0.0.1' },
  { env: 'TIJORI_DATA_DIR', flag: '--data-dir', description: 'Folder of the embedded database (PGlite)', default: './data' },
  { env: 'DATABASE_URL', flag: '--database-url', description: 'PostgreSQL URL; when set, the embedded database is not used', default: '(unset)' },
  { env: 'LOG_LEVEL', flag: '--log-level', description: `One of ${LOG_LEVELS.join(', ')}`, default: 'info' },
  {
    env: 'TIJORI_SEED',
    flag: '--seed / --no-seed',
    description: 'Seed the sandbox company of the portal page',
    default: 'true on the embedded database, false on PostgreSQL',
  },
  { env: 'TIJORI_BODY_LIMIT_BYTES', flag: '--body-limit-bytes', description: 'Largest accepted request body', default: '1048576' },
  { env: 'TIJORI_LOCKOUT_ATTEMPTS', flag: '--lockout-attempts', description: 'Consecutive bad passwords that lock an account', default: '3' },
  { env: 'TIJORI_LOCKOUT_MINUTES', flag: '--lockout-minutes', description: 'Minutes until a locked account unlocks by itself', default: '30' },
  { env: 'TIJORI_TOKEN_RATE_PER_CLIENT', flag: '--token-rate-per-client', description: 'Token requests per minute per client', default: '600' },
  {
    env: 'TIJORI_TOKEN_RATE_PER_USERNAME',
    flag: '--token-rate-per-username',
    description: 'Password attempts per minute per client and username',
    default: '30',
  },
  { env: 'TIJORI_WEBHOOK_TIMEOUT_MS', flag: '--webhook-timeout-ms', description: 'Deadline of one webhook delivery attempt', default: '15000' },
  {
    env: 'SECRETS_KEY',
    flag: '--secrets-key',
    description: 'Master key (64 hex characters) sealing webhook secrets at rest; production sets it',
    default: 'a key file generated in the data folder',
  },
  { env: 'TIJORI_WORKERS', flag: '--workers / --no-workers', description: 'Run job workers and sandbox timers inside `tijori start`', default: 'true' },
  { env: 'TIJORI_TIMER_POLL_MS', flag: '--timer-poll-ms', description: 'Milliseconds between two looks for sandbox timers that fell due', default: '1000' },
  { env: 'TIJORI_IMPS_MAX_RUPEES', flag: '--imps-max-rupees', description: 'Largest IMPS transfer of the simulated bank rail', default: '500000' },
  { env: 'TIJORI_UPI_TRANSFER_MAX_RUPEES', flag: '--upi-transfer-max-rupees', description: 'Largest UPI payout of the simulated bank rail', default: '100000' },
  { env: 'TIJORI_RTGS_MIN_RUPEES', flag: '--rtgs-min-rupees', description: 'Smallest RTGS transfer of the simulated bank rail', default: '200000' },
  {
    env: 'TIJORI_REFRESH_GRACE_SECONDS',
    flag: '--refresh-grace-seconds',
    description: 'Seconds in which a retried refresh gets the same successor',
    default: '10',
  },
  {
    env: 'TIJORI_IDEMPOTENCY_RETENTION_HOURS',
    flag: '--idempotency-retention-hours',
    description: 'Hours an Idempotency-Key replays its stored response (at least 24)',
    default: '24',
  },
  {
    env: 'TIJORI_PUBLIC_URL',
    flag: '--public-url',
    description: 'Base URL of the public pages (checkout, bank pages) in gateway answers',
    default: "the request's own origin",
  },
  {
    env: 'TIJORI_MERCHANT_TOKEN_TTL_SECONDS',
    flag: '--merchant-token-ttl-seconds',
    description: 'Lifetime of a Payment Gateway merchant token',
    default: '86400',
  },
  {
    env: 'TRUST_PROXY',
    flag: '--trust-proxy',
    description: 'Proxies whose X-Forwarded-For names the client: false, true, a hop count, or addresses/CIDRs',
    default: 'false',
  },
  {
    env: 'TIJORI_IDEMPOTENCY_LEASE_SECONDS',
    flag: '--idempotency-lease-seconds',
    description: 'Seconds before an unfinished Idempotency-Key claim may be taken over by a retry',
    default: '60',
  },
];

type Source = Record<string, string | boolean | undefined>;

function pick(flags: Source, env: NodeJS.ProcessEnv, s: Setting): string | undefined {
  const flagName = s.flag.split(' ')[0]!.replace(/^--/, '');
  const fromFlag = flags[flagName];
  if (typeof fromFlag === 'string') return fromFlag;
  if (typeof fromFlag === 'boolean') return String(fromFlag);
  const fromEnv = env[s.env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

/** TRUST_PROXY: false, true, a hop count, or a comma-separated list of addresses, CIDRs and proxy-addr's names. */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  if (['true', 'yes', 'on'].includes(v)) return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v.split(',').map((p) => p.trim());
  if (parts.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-f:.]+(\/\d{1,3})?)$/.test(p) && p !== '')) return parts.join(',');
  throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or addresses/CIDRs separated by commas (got "${raw}")`);
}

function boolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

/**
 * Builds the configuration. `flags` are parsed command-line options (name without dashes); they
 * win over the environment. Throws ConfigError with a message naming the bad setting.
 */
export function loadConfig(flags: Source = {}, env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return readConfig(flags, env);
  } catch (err) {
    // A bad value given as a flag is named as the flag the user typed (`--port`), not its variable.
    if (!(err instanceof ConfigError)) throw err;
    const setting = SETTINGS.find((s) => err.message.startsWith(`${s.env} `));
    const flag = setting?.flag.split(' ')[0];
    if (setting && flag && flags[flag.slice(2)] !== undefined) throw new ConfigError(`${flag}${err.message.slice(setting.env.length)}`);
    throw err;
  }
}

function readConfig(flags: Source, env: NodeJS.ProcessEnv): Config {
  const get = (envName: string) =>
    pick(
      flags,
      env,
      SETTINGS.find((s) => s.env === envName)!,
    );
  if (flags['no-seed'] === true) flags = { ...flags, seed: 'false' };
  if (flags['no-workers'] === true) flags = { ...flags, workers: 'false' };

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL (got "${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}")`);
  }
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const host = get('HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError(`HOST must be a host name or IP address (got "${host}")`);

  const publicUrl = get('TIJORI_PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl))
    throw new ConfigError(`TIJORI_PUBLIC_URL must be an http or https URL without query (got "${publicUrl}")`);

  const secretsKey = get('SECRETS_KEY');
  if (secretsKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretsKey)) throw new ConfigError('SECRETS_KEY must be 64 hexadecimal characters (32 bytes)');

  return {
    port: integer('PORT', get('PORT'), 8080, 0, 65535),
    host,
    dataDir: path.resolve(get('TIJORI_DATA_DIR') ?? './data'),
    databaseUrl,
    logLevel: logLevel as LogLevel,
    seed: boolean('TIJORI_SEED', flags['seed'] === undefined ? get('TIJORI_SEED') : String(flags['seed']), databaseUrl === undefined),
    bodyLimitBytes: integer('TIJORI_BODY_LIMIT_BYTES', get('TIJORI_BODY_LIMIT_BYTES'), 1_048_576, 1024, 104_857_600),
    workers: boolean('TIJORI_WORKERS', get('TIJORI_WORKERS'), true),
    timerPollMs: integer('TIJORI_TIMER_POLL_MS', get('TIJORI_TIMER_POLL_MS'), 1000, 50, 3_600_000),
    transferLimits: {
      impsMaxPaise: BigInt(integer('TIJORI_IMPS_MAX_RUPEES', get('TIJORI_IMPS_MAX_RUPEES'), 500_000, 1, 1_000_000_000)) * 100n,
      upiMaxPaise: BigInt(integer('TIJORI_UPI_TRANSFER_MAX_RUPEES', get('TIJORI_UPI_TRANSFER_MAX_RUPEES'), 100_000, 1, 1_000_000_000)) * 100n,
      rtgsMinPaise: BigInt(integer('TIJORI_RTGS_MIN_RUPEES', get('TIJORI_RTGS_MIN_RUPEES'), 200_000, 1, 1_000_000_000)) * 100n,
    },
    oauth: {
      lockoutAttempts: integer('TIJORI_LOCKOUT_ATTEMPTS', get('TIJORI_LOCKOUT_ATTEMPTS'), 3, 1, 1000),
      lockoutMinutes: integer('TIJORI_LOCKOUT_MINUTES', get('TIJORI_LOCKOUT_MINUTES'), 30, 1, 525_600),
      ratePerClientPerMinute: integer('TIJORI_TOKEN_RATE_PER_CLIENT', get('TIJORI_TOKEN_RATE_PER_CLIENT'), 600, 1, 10_000_000),
      ratePerUsernamePerMinute: integer('TIJORI_TOKEN_RATE_PER_USERNAME', get('TIJORI_TOKEN_RATE_PER_USERNAME'), 30, 1, 10_000_000),
      refreshReuseGraceSeconds: integer('TIJORI_REFRESH_GRACE_SECONDS', get('TIJORI_REFRESH_GRACE_SECONDS'), 10, 0, 300),
    },
    webhooks: {
      timeoutMs: integer('TIJORI_WEBHOOK_TIMEOUT_MS', get('TIJORI_WEBHOOK_TIMEOUT_MS'), 15_000, 1, 120_000),
    },
    secretsKey,
    merchantTokenTtlSeconds: integer('TIJORI_MERCHANT_TOKEN_TTL_SECONDS', get('TIJORI_MERCHANT_TOKEN_TTL_SECONDS'), 86_400, 60, 31_536_000),
    idempotency: {
      retentionHours: integer('TIJORI_IDEMPOTENCY_RETENTION_HOURS', get('TIJORI_IDEMPOTENCY_RETENTION_HOURS'), 24, 24, 8760),
      leaseSeconds: integer('TIJORI_IDEMPOTENCY_LEASE_SECONDS', get('TIJORI_IDEMPOTENCY_LEASE_SECONDS'), 60, 5, 3600),
    },
    publicUrl,
    trustProxy: trustProxy(get('TRUST_PROXY')),
  };
}
