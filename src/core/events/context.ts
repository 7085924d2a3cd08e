import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { Executor } from '../db/engine.js';
import type { JobQueue, SandboxClock, Timers } from '../jobs/types.js';
import type { EventCatalogue } from './catalogue.js';
import { InvalidWebhookConfigError, WebhookConfigNotFoundError } from './errors.js';
import * as repo from './repository.js';
import type { SecretsKey } from './secrets-key.js';
import { newSigningSecret } from './signing.js';
import type { Resolver } from './ssrf-guard.js';
import type { DeliveryHttpSettings } from './transport.js';

/** Default and largest overlap of a rotated secret. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface EventsDeps {
  db: Executor;
  /** Wall clock: `webhook-timestamp` (receivers compare it with their own clock) and worker leases. */
  clock: Clock;
  /** Each company's sandbox clock: event times, retry schedule, rotation windows. */
  clocks: SandboxClock;
  /** Runs `webhook.deliver` jobs (re-queued stalled deliveries); `wake` (optional) makes this process's worker look at once. */
  jobs: JobQueue & { wake?(name: string): void };
  timers: Timers;
  catalogue: EventCatalogue;
  secretsKey: SecretsKey;
  /** Whether a company may target private addresses (sandbox mode); null for an unknown company. */
  isSandboxCompany: (companyId: string) => Promise<boolean | null>;
  http: DeliveryHttpSettings;
  logger: Logger;
  /** DNS resolution for the SSRF guard (tests inject one to check rebinding without a DNS server). */
  resolver?: Resolver;
  /** Real time a worker holds an attempt beyond its HTTP deadline before another may take it over (30 s). */
  leaseMarginMs?: number;
  /** Real time between two sweeps for attempts whose worker died (30 s). */
  sweepIntervalMs?: number;
  /** Real time a due PENDING delivery stays untouched before the sweep re-queues it (2 min). */
  pendingGraceMs?: number;
  /** Deliveries claimed at once by the dispatcher (50). */
  batchSize?: number;
}

/** What the parts of the events service share: their dependencies and a few helpers over them. */
export interface EventsContext extends EventsDeps {
  log: Logger;
  endpointContext(id: string, what: string): string;
  notifyContext(companyId: string, what: string): string;
  /** The secrets to sign with now: the current one, and the previous one while its window lasts. */
  signingSecrets(
    row: { secretSealed: string; previousSecretSealed: string | null; previousSecretExpiresAt: Date | null },
    context: (what: string) => string,
    sandboxNow: Date,
  ): string[];
  /** The company's notify secret row, created on first use. */
  notifySecretRow(companyId: string, exec: Executor): Promise<repo.NotifySecretRow>;
  /** Throws webhook_config_not_found. */
  findConfigRow(companyId: string, webhookId: string, exec?: Executor, forUpdate?: boolean): Promise<repo.EndpointRow>;
  /** Throws invalid_webhook_config for an overlap outside 0…7 days. */
  overlapSeconds(value: number | undefined): number;
}

export const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function createContext(deps: EventsDeps): EventsContext {
  const { db, clocks, secretsKey } = deps;
  const notifyContext = (companyId: string, what: string) => `webhook-notify:${companyId}:${what}`;
  return {
    ...deps,
    log: deps.logger.child({ module: 'events' }),
    endpointContext: (id, what) => `webhook-endpoint:${id}:${what}`,
    notifyContext,
    signingSecrets(row, context, sandboxNow) {
      const secrets = [secretsKey.open(row.secretSealed, context('secret'))];
      if (row.previousSecretSealed !== null && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > sandboxNow) {
        secrets.push(secretsKey.open(row.previousSecretSealed, context('previous-secret')));
      }
      return secrets;
    },
    async notifySecretRow(companyId, exec) {
      const existing = await repo.findNotifySecret(exec, companyId);
      if (existing) return existing;
      const now = await clocks.now(companyId, exec);
      return repo.insertNotifySecret(exec, {
        companyId,
        secretSealed: secretsKey.seal(newSigningSecret(), notifyContext(companyId, 'secret')),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      });
    },
    async findConfigRow(companyId, webhookId, exec = db, forUpdate = false) {
      const row = await repo.findEndpoint(exec, companyId, webhookId, forUpdate);
      if (!row) throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
      return row;
    },
    overlapSeconds(value) {
      const seconds = value ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_ROTATION_OVERLAP_SECONDS) {
        throw new InvalidWebhookConfigError(`overlapSeconds must be a whole number from 0 to ${MAX_ROTATION_OVERLAP_SECONDS}`, { param: 'overlapSeconds' });
      }
      return seconds;
    },
  };
}
