import { systemClock } from '../core/clock/clock.js';
import { ConfigError, type Config } from '../config.js';
import {
  createIdentityService,
  GRANT_TYPES,
  PAYLOAD_ENCRYPTION_MODES,
  PAYOUT_CHECKSUM_MODES,
  type GrantType,
  type NewClientInput,
  type PayloadEncryptionMode,
  type PayoutChecksumMode,
} from '../auth/identity/index.js';
import { withDatabase } from './database.js';
import { required, type Cli } from './io.js';
import type { Values } from './options.js';

// `tijori company|user|client ...`: the identity admin commands.

function seconds(values: Values, name: 'access-token-ttl' | 'refresh-token-ttl'): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`--${name} must be a whole number of seconds (got "${v}")`);
  return Number(v);
}

type Identity = ReturnType<typeof createIdentityService>;

/** Admin subcommands: their required flags are checked before the database is opened. */
const ADMIN: Record<string, { required: (keyof Values)[]; run(identity: Identity, values: Values, cli: Cli): Promise<void> }> = {
  'company create': {
    required: ['name'],
    async run(identity, values, cli) {
      const company = await identity.createCompany({ name: values.name!, ...(values.id ? { id: values.id } : {}) });
      if (companyMode(values) === 'live') await identity.setSandboxMode(company.id, false);
      cli.out(`Created company ${company.id} (${company.name}) in ${companyMode(values) ?? 'sandbox'} mode`);
    },
  },
  'company set-mode': {
    required: ['company', 'mode'],
    async run(identity, values, cli) {
      await identity.setSandboxMode(values.company!, companyMode(values) === 'sandbox');
      cli.out(`Company ${values.company} is now in ${values.mode} mode`);
    },
  },
  'company disable': {
    required: ['company'],
    async run(identity, values, cli) {
      await identity.setCompanyEnabled(values.company!, false);
      cli.out(`Disabled company ${values.company}; its tokens are refused from now on`);
    },
  },
  'company enable': {
    required: ['company'],
    async run(identity, values, cli) {
      await identity.setCompanyEnabled(values.company!, true);
      cli.out(`Enabled company ${values.company}`);
    },
  },
  'user create': {
    required: ['company', 'username'],
    async run(identity, values, cli) {
      const generated = values.password === undefined;
      const password = values.password ?? `Tj@${Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url')}`;
      const user = await identity.createUser({ companyId: values.company!, username: values.username!, password });
      cli.out(`Created user ${user.username} in company ${user.companyId}`);
      if (generated) cli.out(`Password (shown once): ${password}`);
    },
  },
  'user unlock': {
    required: ['username'],
    async run(identity, values, cli) {
      await identity.unlockUser(values.username!);
      cli.out(`Unlocked ${values.username}`);
    },
  },
  'user disable': {
    required: ['username'],
    async run(identity, values, cli) {
      await identity.setUserEnabled(values.username!, false);
      cli.out(`Disabled ${values.username}`);
    },
  },
  'user enable': {
    required: ['username'],
    async run(identity, values, cli) {
      await identity.setUserEnabled(values.username!, true);
      cli.out(`Enabled ${values.username}`);
    },
  },
  'client create': {
    required: ['company'],
    async run(identity, values, cli) {
      const { client, secret } = await identity.createClient({
        companyId: values.company!,
        ...clientOptions(values),
      });
      cli.out(`Created OAuth client ${client.clientId}`);
      cli.out(`  grants        ${client.grantTypes.join(', ')}`);
      cli.out(`  scopes        ${client.scopes.join(' ')}`);
      cli.out(`  payloads      ${client.payloadEncryption} (AES wrapping; change with client set-payload-encryption)`);
      cli.out(`  payouts       ${client.payoutsEnabled ? 'on' : 'off'} (turn off with client set-payouts)`);
      cli.out(`  client secret ${secret}`);
      cli.out('The secret is stored only as a digest and cannot be shown again.');
    },
  },
  'client revoke': {
    required: ['company'],
    async run(identity, values, cli) {
      await identity.revokeClient(values.company!);
      cli.out(`Revoked the OAuth client of ${values.company}; its tokens are refused from now on`);
    },
  },
  'client set-payload-encryption': {
    required: ['company', 'payload-encryption'],
    async run(identity, values, cli) {
      await identity.setPayloadEncryption(values.company!, payloadEncryption(values)!);
      cli.out(`Client ${values.company} now takes AES-wrapped payloads: ${values['payload-encryption']}`);
    },
  },
  'client set-payout-checksum': {
    required: ['company', 'payout-checksum'],
    async run(identity, values, cli) {
      await identity.setPayoutChecksum(values.company!, payoutChecksum(values)!);
      cli.out(`Client ${values.company} now verifies payout checksums: ${values['payout-checksum']}`);
    },
  },
  'client set-payouts': {
    required: ['company', 'payouts'],
    async run(identity, values, cli) {
      const enabled = payoutsSwitch(values)!;
      await identity.setPayoutsEnabled(values.company!, enabled);
      cli.out(`Client ${values.company} payout APIs: ${enabled ? 'on' : 'off (every payout route answers 403 "APIs not enabled")'}`);
    },
  },
};

/** `--payouts on|off`, checked before the database is opened. */
function payoutsSwitch(values: Values): boolean | undefined {
  const value = values.payouts;
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new ConfigError(`--payouts must be on or off (got "${value}")`);
  return value === 'on';
}

/** A flag that takes one of `allowed`, checked before the database is opened. */
function oneOf<T extends string>(values: Values, flag: 'payload-encryption' | 'payout-checksum', allowed: readonly T[]): T | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** `--payload-encryption required|optional|off`. */
const payloadEncryption = (values: Values): PayloadEncryptionMode | undefined => oneOf(values, 'payload-encryption', PAYLOAD_ENCRYPTION_MODES);

/** `--payout-checksum off|lenient|strict`. */
const payoutChecksum = (values: Values): PayoutChecksumMode | undefined => oneOf(values, 'payout-checksum', PAYOUT_CHECKSUM_MODES);

/** `--mode sandbox|live`, checked before the database is opened. */
function companyMode(values: Values): 'sandbox' | 'live' | undefined {
  if (values.mode === undefined) return undefined;
  if (values.mode !== 'sandbox' && values.mode !== 'live') throw new ConfigError(`--mode must be sandbox or live (got "${values.mode}")`);
  return values.mode;
}

function clientOptions(values: Values): Omit<NewClientInput, 'companyId'> {
  const grants = values.grants
    ?.split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  if (grants && grants.some((g) => !(GRANT_TYPES as readonly string[]).includes(g))) {
    throw new ConfigError(`--grants takes a comma-separated list of ${GRANT_TYPES.join(', ')}`);
  }
  const mode = payloadEncryption(values);
  return {
    ...(grants ? { grantTypes: grants as GrantType[] } : {}),
    ...(values.scopes ? { scopes: values.scopes.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(values['access-token-ttl'] ? { accessTokenTtlSeconds: seconds(values, 'access-token-ttl')! } : {}),
    ...(values['refresh-token-ttl'] ? { refreshTokenTtlSeconds: seconds(values, 'refresh-token-ttl')! } : {}),
    ...(mode ? { payloadEncryption: mode } : {}),
    ...(values['payout-checksum'] ? { payoutChecksum: payoutChecksum(values)! } : {}),
  };
}

export async function admin(command: string, sub: string | undefined, values: Values, config: Config, cli: Cli): Promise<number> {
  const key = `${command} ${sub ?? ''}`.trim();
  const entry = ADMIN[key];
  // main.ts has checked the subcommand against the help (src/cli/suggest.ts); a help entry without code is a bug.
  if (!entry) throw new Error(`no code for "tijori ${key}"`);
  for (const name of entry.required) required(values, name);
  if (key === 'client create') clientOptions(values);
  companyMode(values);
  payloadEncryption(values);
  payoutChecksum(values);
  payoutsSwitch(values);
  await withDatabase(config, cli, (database) =>
    entry.run(cli.io.server?.services.identity ?? createIdentityService({ db: database.db, clock: systemClock }), values, cli),
  );
  return 0;
}
