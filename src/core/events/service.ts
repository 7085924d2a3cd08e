import { X509Certificate, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { Executor } from '../db/engine.js';
import { withTransaction } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import type { JobQueue, SandboxClock, Timers } from '../jobs/types.js';
import type { Page, PageRequest } from '../http/pagination.js';
import { toPage } from '../http/pagination.js';
import { WEBHOOK_ENDPOINT_DISABLED, WEBHOOK_TEST, type EventCatalogue } from './catalogue.js';
import {
  EventNotFoundError,
  InvalidCompanyIdError,
  InvalidReplayRangeError,
  InvalidWebhookConfigError,
  SecretsKeyMismatchError,
  WebhookConfigNotFoundError,
  WebhookTargetForbiddenError,
} from './errors.js';
import { MAX_ATTEMPTS, isReservedHeader, parseRetryAfter, retryDelayMs, truncateBody } from './model.js';
import * as repo from './repository.js';
import type { SecretsKey } from './secrets-key.js';
import { newSigningSecret, signatureHeader } from './signing.js';
import { TargetForbidden, resolveTarget, type Resolver } from './ssrf-guard.js';
import { send, type DeliveryHttpSettings } from './transport.js';

export const DELIVERY_JOB = 'webhook.deliver';
export const RETRY_TIMER = 'webhook.retry';

/** Bounds of a time-range replay: a mistake must not resend a company's whole history. */
export const MAX_REPLAY_EVENTS = 1000;
export const MAX_REPLAY_RANGE_MS = 31 * 24 * 3600 * 1000;
/** Default and largest overlap of a rotated secret. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 3600;
/** Request and response bodies kept in the delivery log. */
export const LOGGED_BODY_BYTES = 4096;
const MAX_HEADERS = 20;
const STALLED_SWEEP_MS = 30_000;
const LEASE_MARGIN_MS = 30_000;
/** A due PENDING delivery untouched this long (real time) has lost its job or timer; the sweep re-queues it. */
const PENDING_GRACE_MS = 120_000;

export interface EventsDeps {
  db: Executor;
  /** Wall clock: `webhook-timestamp` (receivers compare it with their own clock) and worker leases. */
  clock: Clock;
  /** Each company's sandbox clock: event times, retry schedule, rotation windows. */
  sandboxClock: SandboxClock;
  /** `wake` (optional) makes this process's worker look at once after a commit instead of at its next poll. */
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
}

export interface WebhookConfigInput {
  companyId: string;
  webhookUrl: string;
  headers?: Record<string, string>;
  sslCertificate?: string | null;
  events: string[];
  enabled?: boolean;
}

/** A webhook configuration as the API shows it (static headers included: the owner set them). */
export interface WebhookConfig {
  webhookId: string;
  companyId: string;
  webhookUrl: string;
  headers: Record<string, string>;
  sslCertificate: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdOn: string;
  updatedOn: string;
}

export interface EventSummary {
  eventId: string;
  type: string;
  createdOn: string;
  notifyUrl: string | null;
  payload: unknown;
}

export interface AttemptView {
  attemptNumber: number;
  attemptedAt: string;
  webhookTimestamp: number;
  url: string;
  outcome: string;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  requestHeaders: unknown;
  requestBody: string;
  responseBody: string | null;
}

export interface DeliveryView {
  deliveryId: string;
  webhookId: string | null;
  url: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  trigger: 'PUBLISH' | 'REPLAY';
  createdOn: string;
  updatedOn: string;
  attempts: AttemptView[];
}

export type EventsService = ReturnType<typeof createEventsService>;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function createEventsService(deps: EventsDeps) {
  const { db, clock, sandboxClock, jobs, timers, catalogue, secretsKey, logger } = deps;
  const log = logger.child({ module: 'events' });
  let sweeper: NodeJS.Timeout | undefined;

  const endpointContext = (id: string, what: string) => `webhook-endpoint:${id}:${what}`;
  const notifyContext = (companyId: string, what: string) => `webhook-notify:${companyId}:${what}`;

  function toConfig(row: repo.EndpointRow, sandboxNow: Date): WebhookConfig {
    const overlapLive = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > sandboxNow;
    return {
      webhookId: row.id,
      companyId: row.companyId,
      webhookUrl: row.url,
      headers: JSON.parse(secretsKey.open(row.headersSealed, endpointContext(row.id, 'headers'))) as Record<string, string>,
      sslCertificate: row.sslCertificate,
      events: row.events,
      enabled: row.enabled,
      disabledReason: row.disabledReason,
      previousSecretExpiresAt: overlapLive ? iso(row.previousSecretExpiresAt) : null,
      createdOn: row.createdAt.toISOString(),
      updatedOn: row.updatedAt.toISOString(),
    };
  }

  /** The secrets to sign with now: the current one, and the previous one while its window lasts. */
  function signingSecrets(
    row: { secretSealed: string; previousSecretSealed: string | null; previousSecretExpiresAt: Date | null },
    context: (what: string) => string,
    sandboxNow: Date,
  ): string[] {
    const secrets = [secretsKey.open(row.secretSealed, context('secret'))];
    if (row.previousSecretSealed !== null && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > sandboxNow) {
      secrets.push(secretsKey.open(row.previousSecretSealed, context('previous-secret')));
    }
    return secrets;
  }

  async function assertTargetAllowed(companyId: string, url: string, param: string): Promise<void> {
    const sandbox = (await deps.isSandboxCompany(companyId)) ?? false;
    // A sandbox company may target anything, and an offline sandbox cannot resolve public names:
    // its URL is only parsed here (validateConfig) and resolved when a delivery connects.
    if (sandbox) return;
    try {
      await resolveTarget(url, sandbox, deps.resolver);
    } catch (err) {
      if (err instanceof TargetForbidden) throw new WebhookTargetForbiddenError(err.message.replace(/^webhookUrl/, param), { param });
      throw err;
    }
  }

  function validateConfig(principalCompanyId: string, input: WebhookConfigInput): { url: string; headers: Record<string, string>; events: string[] } {
    // EnKash's body carries the companyId; another company's id is its 412 "Invalid Company ID" (reference §1.4).
    if (input.companyId !== principalCompanyId) throw new InvalidCompanyIdError('Invalid Company ID', { param: 'companyId' });
    let url: URL;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      throw new InvalidWebhookConfigError('webhookUrl must be an absolute http or https URL', { param: 'webhookUrl' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidWebhookConfigError('webhookUrl must be an absolute http or https URL', { param: 'webhookUrl' });
    }
    if (url.username || url.password) throw new InvalidWebhookConfigError('webhookUrl must not contain credentials', { param: 'webhookUrl' });
    if (url.hash) throw new InvalidWebhookConfigError('webhookUrl must not contain a fragment', { param: 'webhookUrl' });
    const headers = input.headers ?? {};
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) throw new InvalidWebhookConfigError(`headers may have at most ${MAX_HEADERS} entries`, { param: 'headers' });
    const seen = new Set<string>();
    for (const name of names) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) throw new InvalidWebhookConfigError(`headers.${name} is not a valid header name`, { param: 'headers' });
      if (isReservedHeader(name)) throw new InvalidWebhookConfigError(`headers.${name} is set by Tijori on every delivery and cannot be configured`, { param: 'headers' });
      if (seen.has(name.toLowerCase())) throw new InvalidWebhookConfigError(`headers.${name} is given twice`, { param: 'headers' });
      seen.add(name.toLowerCase());
      const value = headers[name]!;
      if (typeof value !== 'string' || value.length > 2000 || /[\r\n\0]/.test(value)) {
        throw new InvalidWebhookConfigError(`headers.${name} must be a string of at most 2000 characters without line breaks`, { param: 'headers' });
      }
    }
    if (input.events.length === 0) throw new InvalidWebhookConfigError('events must name at least one event', { param: 'events' });
    for (const type of input.events) {
      if (!catalogue.has(type)) throw new InvalidWebhookConfigError(`events: unknown event ${type} (see docs/events.md)`, { param: 'events' });
    }
    if (input.sslCertificate) {
      try {
        new X509Certificate(input.sslCertificate);
      } catch {
        throw new InvalidWebhookConfigError('sslCertificate must be a PEM certificate', { param: 'sslCertificate' });
      }
    }
    return { url: url.toString(), headers, events: [...new Set(input.events)].sort() };
  }

  /** Inserts the event and its deliveries and enqueues the jobs, all in `tx`. */
  async function writeEvent(
    tx: Executor,
    companyId: string,
    input: { type: string; body: string; notifyUrl: string | null },
    endpoints: { id: string; url: string }[],
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const now = await sandboxClock.now(companyId, tx);
    const eventId = newId('evt', now);
    await repo.insertEvent(tx, { id: eventId, companyId, type: input.type, body: input.body, notifyUrl: input.notifyUrl, createdAt: now });
    const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url }));
    if (input.notifyUrl !== null) targets.push({ endpointId: null, url: input.notifyUrl });
    const deliveryIds = await createDeliveries(tx, companyId, eventId, targets, 'PUBLISH', now);
    return { eventId, deliveryIds };
  }

  async function createDeliveries(
    tx: Executor,
    companyId: string,
    eventId: string,
    targets: { endpointId: string | null; url: string }[],
    trigger: 'PUBLISH' | 'REPLAY',
    now: Date,
  ): Promise<string[]> {
    const rows: repo.DeliveryRow[] = targets.map((t) => ({
      id: newId('whd', now),
      companyId,
      eventId,
      endpointId: t.endpointId,
      url: t.url,
      status: 'PENDING',
      attemptCount: 0,
      nextAttemptAt: null,
      leaseUntil: null,
      leaseToken: null,
      lastResponseStatus: null,
      lastError: null,
      trigger,
      createdAt: now,
      updatedAt: now,
    }));
    await repo.insertDeliveries(tx, rows);
    for (const row of rows) await jobs.enqueue(tx, DELIVERY_JOB, { companyId, deliveryId: row.id }, { singletonKey: row.id });
    return rows.map((r) => r.id);
  }

  async function findConfigRow(companyId: string, webhookId: string, exec: Executor = db, forUpdate = false): Promise<repo.EndpointRow> {
    const row = await repo.findEndpoint(exec, companyId, webhookId, forUpdate);
    if (!row) throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
    return row;
  }

  function overlapSeconds(value: number | undefined): number {
    const seconds = value ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_ROTATION_OVERLAP_SECONDS) {
      throw new InvalidWebhookConfigError(`overlapSeconds must be a whole number from 0 to ${MAX_ROTATION_OVERLAP_SECONDS}`, { param: 'overlapSeconds' });
    }
    return seconds;
  }

  async function notifySecretRow(companyId: string, exec: Executor): Promise<repo.NotifySecretRow> {
    const existing = await repo.findNotifySecret(exec, companyId);
    if (existing) return existing;
    const now = await sandboxClock.now(companyId, exec);
    return repo.insertNotifySecret(exec, {
      companyId,
      secretSealed: secretsKey.seal(newSigningSecret(), notifyContext(companyId, 'secret')),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  function toDeliveryViews(deliveries: repo.DeliveryRow[], attempts: repo.AttemptRow[]): DeliveryView[] {
    return deliveries.map((d) => ({
      deliveryId: d.id,
      webhookId: d.endpointId,
      url: d.url,
      status: d.status,
      attemptCount: d.attemptCount,
      nextAttemptAt: d.status === 'PENDING' ? iso(d.nextAttemptAt) : null,
      lastResponseStatus: d.lastResponseStatus,
      lastError: d.lastError,
      trigger: d.trigger as 'PUBLISH' | 'REPLAY',
      createdOn: d.createdAt.toISOString(),
      updatedOn: d.updatedAt.toISOString(),
      attempts: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attemptNumber: a.attemptNumber,
          attemptedAt: a.attemptedAt.toISOString(),
          webhookTimestamp: a.webhookTimestamp,
          url: a.url,
          outcome: a.outcome,
          responseStatus: a.responseStatus,
          latencyMs: a.latencyMs,
          error: a.error,
          requestHeaders: a.requestHeaders,
          requestBody: a.requestBody,
          responseBody: a.responseBody,
        })),
    }));
  }

  function toSummary(row: repo.EventRow): EventSummary {
    return { eventId: row.id, type: row.type, createdOn: row.createdAt.toISOString(), notifyUrl: row.notifyUrl, payload: JSON.parse(row.body) as unknown };
  }

  /** Targets of a replay: the original targets that still exist and are enabled, plus the notifyUrl. */
  async function replayTargets(tx: Executor, event: repo.EventRow): Promise<{ endpointId: string | null; url: string }[]> {
    const originals = await repo.listDeliveries(tx, event.companyId, [event.id]);
    const endpointIds = [...new Set(originals.map((d) => d.endpointId).filter((id): id is string => id !== null))];
    const targets: { endpointId: string | null; url: string }[] = [];
    for (const id of endpointIds) {
      const endpoint = await repo.findEndpoint(tx, event.companyId, id);
      if (endpoint?.enabled) targets.push({ endpointId: endpoint.id, url: endpoint.url });
    }
    if (event.notifyUrl !== null) targets.push({ endpointId: null, url: event.notifyUrl });
    return targets;
  }

  async function scheduleRetry(tx: Executor, companyId: string, deliveryId: string, attempt: number, dueAt: Date): Promise<void> {
    await timers.schedule(tx, { companyId, dueAt, kind: RETRY_TIMER, payload: { companyId, deliveryId }, dedupeKey: `${deliveryId}:${attempt}` });
  }

  /** Wakes the delivery worker once `committed` has committed, so a delivery starts without waiting for a poll. */
  async function afterCommit<T>(committed: Promise<T>): Promise<T> {
    const value = await committed;
    jobs.wake(DELIVERY_JOB);
    return value;
  }

  const service = {
    catalogue,

    /** Call after committing a transaction that published events, to start their deliveries at once. */
    wake(): void {
      jobs.wake(DELIVERY_JOB);
    },

    /**
     * Publishes an event in the caller's transaction (the transactional outbox): the event row,
     * one delivery per enabled configuration subscribed to `type` and one for `notifyUrl`, and
     * their delivery jobs. Nothing exists unless `tx` commits. The payload is checked against
     * the catalogue; a mismatch is a programmer error (thrown as a plain Error → 500).
     * Returns the event id, which is the `webhook-id` of every delivery and replay.
     */
    async publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }> {
      const problem = catalogue.problem(input.type, input.payload);
      if (problem !== null) throw new Error(`event ${input.type} payload does not match the catalogue: ${problem}`);
      const notifyUrl = input.notifyUrl ?? null;
      if (notifyUrl !== null && !/^https?:\/\//i.test(notifyUrl)) throw new Error(`notifyUrl must be an http or https URL`);
      const endpoints = await repo.listSubscribedEndpoints(tx, companyId, input.type);
      const { eventId } = await writeEvent(tx, companyId, { type: input.type, body: JSON.stringify(input.payload), notifyUrl }, endpoints);
      return { eventId };
    },

    /**
     * Checks a per-request notifyUrl when a product accepts it (e.g. Create Order), so a live
     * company is told at once that a private target will be refused. Throws webhook_target_forbidden.
     */
    async checkNotifyUrl(companyId: string, notifyUrl: string, param = 'notifyUrl'): Promise<void> {
      await assertTargetAllowed(companyId, notifyUrl, param);
    },

    /**
     * `POST /api/v0/webhook-data`: creates the configuration of `webhookUrl`, or updates it when
     * the company already has one for that URL. The signing secret is returned only on creation.
     * Throws invalid_company_id, invalid_webhook_config, webhook_target_forbidden.
     */
    async saveConfig(principalCompanyId: string, input: WebhookConfigInput): Promise<{ config: WebhookConfig; secret: string | null; created: boolean }> {
      const { url, headers, events } = validateConfig(principalCompanyId, input);
      const companyId = principalCompanyId;
      await assertTargetAllowed(companyId, url, 'webhookUrl');
      return withTransaction(db, async (tx) => {
        const now = await sandboxClock.now(companyId, tx);
        const enabled = input.enabled ?? true;
        const existing = await repo.findEndpointByUrl(tx, companyId, url);
        if (existing) {
          const row = await repo.updateEndpoint(tx, companyId, existing.id, {
            headersSealed: secretsKey.seal(JSON.stringify(headers), endpointContext(existing.id, 'headers')),
            sslCertificate: input.sslCertificate ?? null,
            events,
            enabled,
            disabledReason: enabled ? null : 'Disabled by the company',
            updatedAt: now,
          });
          return { config: toConfig(row!, now), secret: null, created: false };
        }
        const id = newId('whe', now);
        const secret = newSigningSecret();
        const row: repo.EndpointRow = {
          id,
          companyId,
          url,
          headersSealed: secretsKey.seal(JSON.stringify(headers), endpointContext(id, 'headers')),
          sslCertificate: input.sslCertificate ?? null,
          events,
          enabled,
          disabledReason: enabled ? null : 'Disabled by the company',
          secretSealed: secretsKey.seal(secret, endpointContext(id, 'secret')),
          previousSecretSealed: null,
          previousSecretExpiresAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertEndpoint(tx, row);
        return { config: toConfig(row, now), secret, created: true };
      });
    },

    async listConfigs(companyId: string): Promise<WebhookConfig[]> {
      const now = await sandboxClock.now(companyId);
      return (await repo.listEndpoints(db, companyId)).map((r) => toConfig(r, now));
    },

    /** Throws webhook_config_not_found. */
    async getConfig(companyId: string, webhookId: string): Promise<WebhookConfig> {
      return toConfig(await findConfigRow(companyId, webhookId), await sandboxClock.now(companyId));
    },

    /** Enables or disables a configuration; a disabled one receives nothing. Throws webhook_config_not_found. */
    async setEnabled(companyId: string, webhookId: string, enabled: boolean): Promise<WebhookConfig> {
      const now = await sandboxClock.now(companyId);
      const current = await findConfigRow(companyId, webhookId);
      if (enabled && !current.enabled) await assertTargetAllowed(companyId, current.url, 'webhookUrl');
      const row = await repo.updateEndpoint(db, companyId, webhookId, { enabled, disabledReason: enabled ? null : 'Disabled by the company', updatedAt: now });
      if (!row) throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
      return toConfig(row, now);
    },

    /** Deletes a configuration; its pending deliveries end FAILED without another attempt. Throws webhook_config_not_found. */
    async deleteConfig(companyId: string, webhookId: string): Promise<void> {
      if (!(await repo.deleteEndpoint(db, companyId, webhookId))) throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
    },

    /**
     * Replaces the signing secret. For `overlapSeconds` of sandbox time every delivery carries
     * two signatures (new and old), so receivers can switch without losing a delivery; after
     * that only the new one. Throws webhook_config_not_found, invalid_webhook_config.
     */
    async rotateSecret(companyId: string, webhookId: string, overlap?: number): Promise<{ config: WebhookConfig; secret: string }> {
      const seconds = overlapSeconds(overlap);
      return withTransaction(db, async (tx) => {
        const row = await findConfigRow(companyId, webhookId, tx, true);
        const now = await sandboxClock.now(companyId, tx);
        const secret = newSigningSecret();
        const old = secretsKey.open(row.secretSealed, endpointContext(row.id, 'secret'));
        const updated = await repo.updateEndpoint(tx, companyId, webhookId, {
          secretSealed: secretsKey.seal(secret, endpointContext(row.id, 'secret')),
          previousSecretSealed: seconds > 0 ? secretsKey.seal(old, endpointContext(row.id, 'previous-secret')) : null,
          previousSecretExpiresAt: seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null,
          updatedAt: now,
        });
        return { config: toConfig(updated!, now), secret };
      });
    },

    /** The company-level secret that signs deliveries to per-request notifyUrls (created on first use). */
    async getNotifySecret(companyId: string): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
      const row = await notifySecretRow(companyId, db);
      const now = await sandboxClock.now(companyId);
      const live = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
      return { secret: secretsKey.open(row.secretSealed, notifyContext(companyId, 'secret')), previousSecretExpiresAt: live ? iso(row.previousSecretExpiresAt) : null };
    },

    /** Rotates the notify secret with an overlap window, as rotateSecret. */
    async rotateNotifySecret(companyId: string, overlap?: number): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
      const seconds = overlapSeconds(overlap);
      return withTransaction(db, async (tx) => {
        await notifySecretRow(companyId, tx);
        const row = (await repo.findNotifySecret(tx, companyId, true))!;
        const now = await sandboxClock.now(companyId, tx);
        const secret = newSigningSecret();
        const old = secretsKey.open(row.secretSealed, notifyContext(companyId, 'secret'));
        const expires = seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null;
        await repo.updateNotifySecret(tx, companyId, {
          secretSealed: secretsKey.seal(secret, notifyContext(companyId, 'secret')),
          previousSecretSealed: expires ? secretsKey.seal(old, notifyContext(companyId, 'previous-secret')) : null,
          previousSecretExpiresAt: expires,
          updatedAt: now,
        });
        return { secret, previousSecretExpiresAt: iso(expires) };
      });
    },

    /** Publishes WEBHOOK_TEST to one enabled configuration, subscribed to it or not. Throws webhook_config_not_found, invalid_webhook_config. */
    async sendTest(companyId: string, webhookId: string, message = 'Webhook test from Tijori'): Promise<EventSummary> {
      return afterCommit(withTransaction(db, async (tx) => {
        const row = await findConfigRow(companyId, webhookId, tx);
        if (!row.enabled) throw new InvalidWebhookConfigError('The webhook configuration is disabled; enable it before sending a test', { param: 'webhookId' });
        const now = await sandboxClock.now(companyId, tx);
        const payload = { event: 'WEBHOOK_TEST' as const, webhookId, message, createdOn: now.toISOString() };
        const problem = catalogue.problem(WEBHOOK_TEST.type, payload);
        if (problem !== null) throw new InvalidWebhookConfigError(`message: ${problem}`, { param: 'message' });
        const { eventId } = await writeEvent(tx, companyId, { type: WEBHOOK_TEST.type, body: JSON.stringify(payload), notifyUrl: null }, [row]);
        return toSummary((await repo.findEvent(tx, companyId, eventId))!);
      }));
    },

    /** Events of the company, newest first. */
    async listEvents(companyId: string, filter: repo.EventFilter, page: PageRequest): Promise<Page<EventSummary>> {
      const { rows, total } = await repo.listEvents(db, companyId, filter, page);
      return toPage(rows.map(toSummary), total, page);
    },

    /** One event with its deliveries and every attempt. Throws event_not_found. */
    async getEvent(companyId: string, eventId: string): Promise<EventSummary & { deliveries: DeliveryView[] }> {
      const event = await repo.findEvent(db, companyId, eventId);
      if (!event) throw new EventNotFoundError(`No event ${eventId}`, { param: 'eventId' });
      const deliveries = await repo.listDeliveries(db, companyId, [eventId]);
      const attempts = await repo.listAttempts(db, companyId, eventId);
      return { ...toSummary(event), deliveries: toDeliveryViews(deliveries, attempts) };
    },

    /**
     * Sends an event again, with the same `webhook-id` and body, to its original targets that
     * are still enabled (and its notifyUrl): new deliveries with a fresh retry schedule.
     * Throws event_not_found.
     */
    async replayEvent(companyId: string, eventId: string): Promise<{ eventId: string; deliveryIds: string[] }> {
      return afterCommit(withTransaction(db, async (tx) => {
        const event = await repo.findEvent(tx, companyId, eventId);
        if (!event) throw new EventNotFoundError(`No event ${eventId}`, { param: 'eventId' });
        const now = await sandboxClock.now(companyId, tx);
        const deliveryIds = await createDeliveries(tx, companyId, eventId, await replayTargets(tx, event), 'REPLAY', now);
        return { eventId, deliveryIds };
      }));
    },

    /**
     * Replays every event created in [from, to) (optionally of one type): at most
     * MAX_REPLAY_EVENTS events in a range of at most 31 days. Throws invalid_replay_range.
     */
    async replayRange(companyId: string, input: { from: Date; to: Date; type?: string }): Promise<{ events: { eventId: string; deliveryIds: string[] }[] }> {
      if (!(input.from < input.to)) throw new InvalidReplayRangeError('from must be before to', { param: 'from' });
      if (input.to.getTime() - input.from.getTime() > MAX_REPLAY_RANGE_MS) throw new InvalidReplayRangeError('the range may span at most 31 days', { param: 'to' });
      if (input.type !== undefined && !catalogue.has(input.type)) throw new InvalidReplayRangeError(`unknown event type ${input.type}`, { param: 'type' });
      return afterCommit(withTransaction(db, async (tx) => {
        const filter: repo.EventFilter = { from: input.from, to: input.to, ...(input.type !== undefined ? { type: input.type } : {}) };
        const found = await repo.listEventsInRange(tx, companyId, filter, MAX_REPLAY_EVENTS + 1);
        if (found.length > MAX_REPLAY_EVENTS) {
          throw new InvalidReplayRangeError(`the range holds more than ${MAX_REPLAY_EVENTS} events; replay a narrower range`, { param: 'to' });
        }
        const now = await sandboxClock.now(companyId, tx);
        const out: { eventId: string; deliveryIds: string[] }[] = [];
        for (const event of found) out.push({ eventId: event.id, deliveryIds: await createDeliveries(tx, companyId, event.id, await replayTargets(tx, event), 'REPLAY', now) });
        return { events: out };
      }));
    },

    /**
     * Makes the next attempt of a delivery (the job and timer handler; outside any transaction).
     * Does nothing when another worker holds it, it is finished, or it is not due yet, so a
     * duplicate job or timer is harmless.
     */
    async deliver(companyId: string, deliveryId: string): Promise<void> {
      const sandboxNow = await sandboxClock.now(companyId);
      const wallNow = clock.now();
      const leaseToken = randomBytes(16).toString('hex');
      const claimed = await repo.claimDelivery(db, companyId, deliveryId, {
        sandboxNow,
        wallNow,
        leaseUntil: new Date(wallNow.getTime() + deps.http.timeoutMs + (deps.leaseMarginMs ?? LEASE_MARGIN_MS)),
        leaseToken,
        maxAttempts: MAX_ATTEMPTS,
      });
      if (!claimed) return;
      const event = await repo.findEvent(db, companyId, claimed.eventId);
      if (!event) throw new Error(`delivery ${deliveryId} has no event`);

      let secrets: string[];
      let staticHeaders: Record<string, string> = {};
      let ca: string | undefined;
      if (claimed.endpointId !== null) {
        const endpoint = await repo.findEndpoint(db, companyId, claimed.endpointId);
        if (!endpoint || !endpoint.enabled) {
          const reason = endpoint ? `webhook configuration disabled: ${endpoint.disabledReason ?? ''}`.trim() : 'webhook configuration deleted';
          if (await repo.abandonDelivery(db, companyId, deliveryId, leaseToken, reason, sandboxNow)) {
            log.info({ eventId: event.id, deliveryId, reason }, 'webhook delivery abandoned');
          }
          return;
        }
        secrets = signingSecrets(endpoint, (w) => endpointContext(endpoint.id, w), sandboxNow);
        staticHeaders = JSON.parse(secretsKey.open(endpoint.headersSealed, endpointContext(endpoint.id, 'headers'))) as Record<string, string>;
        ca = endpoint.sslCertificate ?? undefined;
      } else {
        secrets = signingSecrets(await notifySecretRow(companyId, db), (w) => notifyContext(companyId, w), sandboxNow);
      }

      const timestamp = Math.floor(wallNow.getTime() / 1000);
      const headers: Record<string, string> = {
        ...staticHeaders,
        'content-type': 'application/json',
        'user-agent': deps.http.userAgent,
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, event.id, timestamp, event.body),
        'x-tijori-event-type': event.type,
      };
      const loggedHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k in staticHeaders ? '[redacted]' : v]));

      let result: Awaited<ReturnType<typeof send>>;
      try {
        const sandbox = (await deps.isSandboxCompany(companyId)) ?? false;
        const target = await resolveTarget(claimed.url, sandbox, deps.resolver);
        result = await send(target, headers, event.body, deps.http, ca);
      } catch (err) {
        if (!(err instanceof TargetForbidden)) throw err;
        result = { kind: 'error', error: `refused by the SSRF guard: ${err.message}`, latencyMs: 0 };
      }

      const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
      const gone = result.kind === 'response' && result.status === 410 && claimed.endpointId !== null;
      const after = await sandboxClock.now(companyId);
      const retryAfter = result.kind === 'response' && (result.status === 429 || result.status === 503)
        ? parseRetryAfter(result.headers['retry-after'] as string | undefined, clock.now().getTime())
        : null;
      const delay = ok || gone ? null : retryDelayMs(event.id, claimed.attemptCount, retryAfter);
      const status = ok ? 'SUCCEEDED' : delay === null ? 'FAILED' : 'PENDING';
      const nextAttemptAt = delay === null ? null : new Date(after.getTime() + delay);
      const error = result.kind === 'error' ? result.error : ok ? null : `HTTP ${result.status}`;
      const attempt: repo.AttemptRow = {
        id: newId('wha', after),
        companyId,
        deliveryId,
        eventId: event.id,
        attemptNumber: claimed.attemptCount,
        attemptedAt: sandboxNow,
        webhookTimestamp: timestamp,
        url: claimed.url,
        requestHeaders: loggedHeaders,
        requestBody: truncateBody(event.body, LOGGED_BODY_BYTES),
        outcome: ok ? 'SUCCEEDED' : 'FAILED',
        responseStatus: result.kind === 'response' ? result.status : null,
        responseBody: result.kind === 'response' ? truncateBody(result.body, LOGGED_BODY_BYTES) : null,
        error,
        latencyMs: result.latencyMs,
      };
      const mine = await withTransaction(db, async (tx) => {
        const mine = await repo.completeAttempt(tx, attempt, leaseToken, {
          status,
          nextAttemptAt,
          lastResponseStatus: attempt.responseStatus,
          lastError: gone ? 'HTTP 410 Gone: the webhook configuration was disabled' : error,
          updatedAt: after,
        });
        if (!mine) return false;
        if (nextAttemptAt !== null) await scheduleRetry(tx, companyId, deliveryId, claimed.attemptCount, nextAttemptAt);
        if (gone) {
          // Standard Webhooks: 410 means "stop sending". Tijori disables the configuration, and says so
          // on the configuration (enabled=false, disabledReason), in the delivery log and in the log.
          const reason = `The receiver answered 410 Gone to event ${event.id} at ${after.toISOString()}`;
          await repo.updateEndpoint(tx, companyId, claimed.endpointId!, { enabled: false, disabledReason: reason, updatedAt: after });
          if (catalogue.has(WEBHOOK_ENDPOINT_DISABLED.type)) {
            await service.publish(tx, companyId, {
              type: WEBHOOK_ENDPOINT_DISABLED.type,
              payload: { event: WEBHOOK_ENDPOINT_DISABLED.type, webhookId: claimed.endpointId!, webhookUrl: claimed.url, reason, disabledOn: after.toISOString() },
            });
          }
        }
        return true;
      });
      const line = { eventId: event.id, deliveryId, attempt: claimed.attemptCount, status, responseStatus: attempt.responseStatus, latencyMs: result.latencyMs, error };
      // Another worker took the attempt over after this one's lease ran out: its outcome is the one recorded.
      if (!mine) log.warn(line, 'webhook attempt outcome dropped: the lease was taken over by another worker');
      else if (gone) log.warn({ ...line, webhookId: claimed.endpointId }, 'webhook configuration disabled after 410 Gone');
      else if (status === 'FAILED') log.warn(line, 'webhook delivery failed: retry schedule exhausted');
      else log.info(line, 'webhook delivery attempt');
    },

    /**
     * Re-queues deliveries nobody would run again: those whose worker died mid-attempt (their lease
     * ran out) and those left PENDING and due with their job or retry timer lost (see
     * `listStalledDeliveries`). A duplicate job is harmless: `deliver` claims before it sends.
     */
    async recoverStalled(): Promise<number> {
      const stalled = await repo.listStalledDeliveries(db, { wallNow: clock.now(), graceMs: deps.pendingGraceMs ?? PENDING_GRACE_MS, maxAttempts: MAX_ATTEMPTS }, 500);
      for (const d of stalled) await jobs.enqueue(db, DELIVERY_JOB, { companyId: d.companyId, deliveryId: d.id });
      return stalled.length;
    },

    /**
     * Refuses to run with a server key that cannot open the secrets already sealed in this
     * database (another SECRETS_KEY, or a key file of another data folder): every delivery would
     * fail later, one by one, instead of the start failing now with the reason.
     */
    async checkSecretsKey(): Promise<void> {
      const sample = await repo.sampleSealedSecrets(db);
      try {
        if (sample.endpoint) secretsKey.open(sample.endpoint.secretSealed, endpointContext(sample.endpoint.id, 'secret'));
        if (sample.notify) secretsKey.open(sample.notify.secretSealed, notifyContext(sample.notify.companyId, 'secret'));
      } catch {
        throw new SecretsKeyMismatchError(
          'The server key cannot open the webhook secrets stored in this database: start every process with the SECRETS_KEY ' +
            '(or the data folder\'s secrets.key) they were sealed with',
        );
      }
    },

    /** Registers the delivery job and the retry timer, and the sweep of stalled deliveries. */
    async start(options: { sweep?: boolean } = {}): Promise<void> {
      await service.checkSecretsKey();
      timers.register<{ companyId: string; deliveryId: string }>(RETRY_TIMER, (timer) => service.deliver(timer.payload.companyId, timer.payload.deliveryId));
      await jobs.work<{ companyId: string; deliveryId: string }>(DELIVERY_JOB, (data) => service.deliver(data.companyId, data.deliveryId));
      if (options.sweep !== false) {
        sweeper = setInterval(() => {
          service.recoverStalled().catch((err: unknown) => log.error({ err }, 'stalled-delivery sweep failed'));
        }, deps.sweepIntervalMs ?? STALLED_SWEEP_MS);
        sweeper.unref();
      }
    },

    stop(): void {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
    },
  };
  return service;
}
