import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/engine.js';
import { withTransaction } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import { WEBHOOK_ENDPOINT_DISABLED } from './catalogue.js';
import type { EventsContext } from './context.js';
import { SecretsKeyMismatchError } from './errors.js';
import { MAX_ATTEMPTS, parseRetryAfter, retryDelayMs, truncateBody } from './model.js';
import * as repo from './repository.js';
import { signatureHeader } from './signing.js';
import { TargetForbidden, resolveTarget, type ResolvedTarget } from './ssrf-guard.js';
import { AgentPool, send, type SendResult } from './transport.js';

export const DELIVERY_JOB = 'webhook.deliver';
export const RETRY_TIMER = 'webhook.retry';
/** Request and response bodies kept in the delivery log. */
export const LOGGED_BODY_BYTES = 4096;
/** Deliveries the dispatcher claims at once (and sends concurrently). */
export const DEFAULT_BATCH_SIZE = 50;
const LEASE_MARGIN_MS = 30_000;
/** A due PENDING delivery untouched this long (real time) has lost its job or timer; the sweep re-queues it. */
const PENDING_GRACE_MS = 120_000;

/** One attempt in hand: the claimed delivery, its event, and the times of the claim. */
interface Attempt {
  companyId: string;
  deliveryId: string;
  endpointId: string | null;
  url: string;
  attemptNumber: number;
  event: { id: string; type: string; body: string };
  sandboxNow: Date;
  wallNow: Date;
  leaseToken: string;
}

/** How to sign and address an attempt, or why it is abandoned without one. */
type Signer = { secrets: string[]; staticHeaders: Record<string, string>; ca?: string } | { abandon: string };

/** An attempt's result, decided and ready to be recorded. */
interface Outcome {
  attempt: Attempt;
  row: repo.AttemptRow;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  nextAttemptAt: Date | null;
  gone: boolean;
  after: Date;
}

type Publish = (tx: Executor, companyId: string, input: { type: string; payload: object }) => Promise<{ eventId: string }>;

/**
 * Delivery: the HTTP attempts, one at a time (`deliver`, for retry timers and re-queued jobs) or a
 * claimed batch at a time (`dispatchBatch`, for first attempts), with keep-alive connections per
 * receiver, the SSRF guard's pinned address, and successes recorded in one statement per batch.
 */
export function createDelivery(ctx: EventsContext, options: { publish: Publish }) {
  const { db, clock, clocks, catalogue, secretsKey, log } = ctx;
  const agents = new AgentPool();
  const leaseMs = () => ctx.http.timeoutMs + (ctx.leaseMarginMs ?? LEASE_MARGIN_MS);

  function endpointSigner(endpoint: repo.EndpointRow | undefined, sandboxNow: Date): Signer {
    if (!endpoint || !endpoint.enabled) {
      return { abandon: endpoint ? `webhook configuration disabled: ${endpoint.disabledReason ?? ''}`.trim() : 'webhook configuration deleted' };
    }
    return {
      secrets: ctx.signingSecrets(endpoint, (w) => ctx.endpointContext(endpoint.id, w), sandboxNow),
      staticHeaders: JSON.parse(secretsKey.open(endpoint.headersSealed, ctx.endpointContext(endpoint.id, 'headers'))) as Record<string, string>,
      ...(endpoint.sslCertificate ? { ca: endpoint.sslCertificate } : {}),
    };
  }

  async function notifySigner(companyId: string, sandboxNow: Date): Promise<Signer> {
    const row = await ctx.notifySecretRow(companyId, db);
    return { secrets: ctx.signingSecrets(row, (w) => ctx.notifyContext(companyId, w), sandboxNow), staticHeaders: {} };
  }

  /** Closes a delivery whose configuration went away, without an HTTP attempt. */
  async function abandon(a: Attempt, reason: string): Promise<void> {
    if (await repo.abandonDelivery(db, a.companyId, a.deliveryId, a.leaseToken, reason, a.sandboxNow)) {
      log.info({ eventId: a.event.id, deliveryId: a.deliveryId, reason }, 'webhook delivery abandoned');
    }
  }

  /** Signs and sends one attempt, and decides what it means (success, retry, failure, 410). Never throws for a receiver's fault. */
  async function attempt(
    a: Attempt,
    signer: Exclude<Signer, { abandon: string }>,
    target: () => Promise<ResolvedTarget>,
    sandboxAfter: () => Promise<Date>,
  ): Promise<Outcome> {
    const timestamp = Math.floor(a.wallNow.getTime() / 1000);
    const { staticHeaders } = signer;
    const headers: Record<string, string> = {
      ...staticHeaders,
      'content-type': 'application/json',
      'user-agent': ctx.http.userAgent,
      'webhook-id': a.event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(signer.secrets, a.event.id, timestamp, a.event.body),
      'x-tijori-event-type': a.event.type,
    };
    const loggedHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k in staticHeaders ? '[redacted]' : v]));
    let result: SendResult;
    try {
      result = await send(await target(), headers, a.event.body, ctx.http, signer.ca, agents);
    } catch (err) {
      if (!(err instanceof TargetForbidden)) throw err;
      result = { kind: 'error', error: `refused by the SSRF guard: ${err.message}`, latencyMs: 0 };
    }
    const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const gone = result.kind === 'response' && result.status === 410 && a.endpointId !== null;
    const after = await sandboxAfter();
    const retryAfter =
      result.kind === 'response' && (result.status === 429 || result.status === 503)
        ? parseRetryAfter(result.headers['retry-after'] as string | undefined, clock.now().getTime())
        : null;
    const delay = ok || gone ? null : retryDelayMs(a.event.id, a.attemptNumber, retryAfter);
    const error = result.kind === 'error' ? result.error : ok ? null : `HTTP ${result.status}`;
    const row: repo.AttemptRow = {
      id: newId('wha', after),
      companyId: a.companyId,
      deliveryId: a.deliveryId,
      eventId: a.event.id,
      attemptNumber: a.attemptNumber,
      attemptedAt: a.sandboxNow,
      webhookTimestamp: timestamp,
      url: a.url,
      requestHeaders: loggedHeaders,
      requestBody: truncateBody(a.event.body, LOGGED_BODY_BYTES),
      outcome: ok ? 'SUCCEEDED' : 'FAILED',
      responseStatus: result.kind === 'response' ? result.status : null,
      responseBody: result.kind === 'response' ? truncateBody(result.body, LOGGED_BODY_BYTES) : null,
      error,
      latencyMs: result.latencyMs,
    };
    return {
      attempt: a,
      row,
      status: ok ? 'SUCCEEDED' : delay === null ? 'FAILED' : 'PENDING',
      nextAttemptAt: delay === null ? null : new Date(after.getTime() + delay),
      gone,
      after,
    };
  }

  function logOutcome(o: Outcome, mine: boolean): void {
    const line = {
      eventId: o.row.eventId,
      deliveryId: o.row.deliveryId,
      attempt: o.row.attemptNumber,
      status: o.status,
      responseStatus: o.row.responseStatus,
      latencyMs: o.row.latencyMs,
      error: o.row.error,
    };
    // Another worker took the attempt over after this one's lease ran out: its outcome is the one recorded.
    if (!mine) log.warn(line, 'webhook attempt outcome dropped: the lease was taken over by another worker');
    else if (o.gone) log.warn({ ...line, webhookId: o.attempt.endpointId }, 'webhook configuration disabled after 410 Gone');
    else if (o.status === 'FAILED') log.warn(line, 'webhook delivery failed: retry schedule exhausted');
    else log.info(line, 'webhook delivery attempt');
  }

  /** Records one outcome in its own transaction: the attempt, the retry timer, and a 410's disabling. */
  async function record(o: Outcome): Promise<void> {
    const { attempt: a, row, after } = o;
    const mine = await withTransaction(db, async (tx) => {
      const mine = await repo.completeAttempt(tx, row, a.leaseToken, {
        status: o.status,
        nextAttemptAt: o.nextAttemptAt,
        lastResponseStatus: row.responseStatus,
        lastError: o.gone ? 'HTTP 410 Gone: the webhook configuration was disabled' : row.error,
        updatedAt: after,
      });
      if (!mine) return false;
      if (o.nextAttemptAt !== null) {
        await ctx.timers.schedule(tx, {
          companyId: a.companyId,
          dueAt: o.nextAttemptAt,
          kind: RETRY_TIMER,
          payload: { companyId: a.companyId, deliveryId: a.deliveryId },
          dedupeKey: `${a.deliveryId}:${a.attemptNumber}`,
        });
      }
      if (o.gone) {
        // Standard Webhooks: 410 means "stop sending". Tijori disables the configuration, and says so
        // on the configuration (enabled=false, disabledReason), in the delivery log and in the log.
        const reason = `The receiver answered 410 Gone to event ${a.event.id} at ${after.toISOString()}`;
        await repo.updateEndpoint(tx, a.companyId, a.endpointId!, { enabled: false, disabledReason: reason, updatedAt: after });
        if (catalogue.has(WEBHOOK_ENDPOINT_DISABLED.type)) {
          await options.publish(tx, a.companyId, {
            type: WEBHOOK_ENDPOINT_DISABLED.type,
            payload: { event: WEBHOOK_ENDPOINT_DISABLED.type, webhookId: a.endpointId!, webhookUrl: a.url, reason, disabledOn: after.toISOString() },
          });
        }
      }
      return true;
    });
    logOutcome(o, mine);
  }

  const isSandbox = async (companyId: string) => (await ctx.isSandboxCompany(companyId)) ?? false;

  return {
    agents,

    /**
     * Makes the next attempt of a delivery (the retry timer's and the re-queued job's handler;
     * outside any transaction). Does nothing when another worker holds it, it is finished, or it
     * is not due yet, so a duplicate job or timer is harmless.
     */
    async deliver(companyId: string, deliveryId: string): Promise<void> {
      const sandboxNow = await clocks.now(companyId);
      const wallNow = clock.now();
      const leaseToken = randomBytes(16).toString('hex');
      const claimed = await repo.claimDelivery(db, companyId, deliveryId, {
        sandboxNow,
        wallNow,
        leaseUntil: new Date(wallNow.getTime() + leaseMs()),
        leaseToken,
        maxAttempts: MAX_ATTEMPTS,
      });
      if (!claimed) return;
      const event = await repo.findEvent(db, companyId, claimed.eventId);
      if (!event) throw new Error(`delivery ${deliveryId} has no event`);
      const a: Attempt = {
        companyId,
        deliveryId,
        endpointId: claimed.endpointId,
        url: claimed.url,
        attemptNumber: claimed.attemptCount,
        event,
        sandboxNow,
        wallNow,
        leaseToken,
      };
      const signer =
        claimed.endpointId !== null
          ? endpointSigner((await repo.findEndpoint(db, companyId, claimed.endpointId)) ?? undefined, sandboxNow)
          : await notifySigner(companyId, sandboxNow);
      if ('abandon' in signer) return abandon(a, signer.abandon);
      const outcome = await attempt(
        a,
        signer,
        async () => resolveTarget(claimed.url, await isSandbox(companyId), ctx.resolver),
        () => clocks.now(companyId),
      );
      await record(outcome);
    },

    /**
     * Claims up to `limit` deliveries waiting for their first attempt (any company) and makes
     * them concurrently: one statement claims the batch, one per company and batch reads its
     * mode (and notify secret), one records every success; a failure is recorded on its own, with
     * its retry timer. Returns how many were claimed (a full batch means more may wait).
     */
    async dispatchBatch(limit = ctx.batchSize ?? DEFAULT_BATCH_SIZE, onClaimed?: (count: number) => void): Promise<number> {
      const wallNow = clock.now();
      const leaseToken = randomBytes(16).toString('hex');
      const claimed = await repo.claimFreshDeliveries(db, { wallNow, leaseUntil: new Date(wallNow.getTime() + leaseMs()), leaseToken }, limit);
      // Told before the sends, so that a dispatcher can claim the next batch while these are in flight.
      onClaimed?.(claimed.length);
      if (claimed.length === 0) return 0;
      // Per company: its sandbox mode, its endpoints, its notify secret; each read once per batch.
      const companies = new Map<string, { sandbox: Promise<boolean>; endpoints: Promise<Map<string, repo.EndpointRow>>; notify?: Promise<Signer> }>();
      const companyOf = (companyId: string) => {
        let c = companies.get(companyId);
        if (!c) {
          const ids = [...new Set(claimed.filter((d) => d.companyId === companyId && d.endpointId !== null).map((d) => d.endpointId!))];
          c = { sandbox: isSandbox(companyId), endpoints: repo.findEndpoints(db, companyId, ids).then((rows) => new Map(rows.map((r) => [r.id, r]))) };
          companies.set(companyId, c);
        }
        return c;
      };
      const targets = new Map<string, Promise<ResolvedTarget>>();
      const outcomes = await Promise.all(
        claimed.map(async (d): Promise<Outcome | null> => {
          const a: Attempt = {
            companyId: d.companyId,
            deliveryId: d.id,
            endpointId: d.endpointId,
            url: d.url,
            attemptNumber: d.attemptCount,
            event: { id: d.eventId, type: d.eventType, body: d.eventBody },
            sandboxNow: d.sandboxNow,
            wallNow,
            leaseToken,
          };
          try {
            const company = companyOf(d.companyId);
            let signer: Signer;
            if (d.endpointId !== null) signer = endpointSigner((await company.endpoints).get(d.endpointId), d.sandboxNow);
            else signer = await (company.notify ??= notifySigner(d.companyId, d.sandboxNow));
            if ('abandon' in signer) {
              await abandon(a, signer.abandon);
              return null;
            }
            const target = async () => {
              const key = `${d.companyId} ${d.url}`;
              let t = targets.get(key);
              if (!t) targets.set(key, (t = company.sandbox.then((sandbox) => resolveTarget(d.url, sandbox, ctx.resolver))));
              return t;
            };
            const offsetMs = d.sandboxNow.getTime() - wallNow.getTime();
            return await attempt(a, signer, target, async () => new Date(clock.now().getTime() + offsetMs));
          } catch (err) {
            // Left SENDING: its lease runs out and the sweep re-queues it (at-least-once).
            log.error({ deliveryId: d.id, err: err instanceof Error ? err.message : String(err) }, 'webhook attempt failed before it was recorded');
            return null;
          }
        }),
      );
      const succeeded = outcomes.filter((o): o is Outcome => o !== null && o.status === 'SUCCEEDED');
      const recorded = await repo.completeSucceeded(
        db,
        succeeded.map((o) => ({ attempt: o.row, leaseToken, updatedAt: o.after })),
      );
      for (const o of succeeded) logOutcome(o, recorded.has(o.row.deliveryId));
      for (const o of outcomes) {
        if (o === null || o.status === 'SUCCEEDED') continue;
        await record(o).catch((err: unknown) =>
          log.error({ deliveryId: o.row.deliveryId, err: err instanceof Error ? err.message : String(err) }, 'recording a webhook attempt failed'),
        );
      }
      return claimed.length;
    },

    /**
     * Re-queues deliveries nobody would run again: those whose worker died mid-attempt (their lease
     * ran out) and those left PENDING and due with their job or retry timer lost (see
     * `listStalledDeliveries`). A duplicate job is harmless: `deliver` claims before it sends.
     */
    async recoverStalled(): Promise<number> {
      const stalled = await repo.listStalledDeliveries(
        db,
        { wallNow: clock.now(), graceMs: ctx.pendingGraceMs ?? PENDING_GRACE_MS, maxAttempts: MAX_ATTEMPTS },
        500,
      );
      for (const d of stalled) await ctx.jobs.enqueue(db, DELIVERY_JOB, { companyId: d.companyId, deliveryId: d.id });
      return stalled.length;
    },

    /**
     * Refuses to run with a server key that cannot open the secrets already sealed in this
     * database (another SECRETS_KEY, or a key file of another data folder): every delivery would
     * fail later, one by one, instead of the start failing now with the reason.
     */
    async checkSecretsKey(): Promise<void> {
      // Every one, not a sample: a `tijori` run with another key file seals only the rows it writes.
      const sealed = await repo.listSealedSecrets(db);
      try {
        for (const e of sealed.endpoints) secretsKey.open(e.secretSealed, ctx.endpointContext(e.id, 'secret'));
        for (const n of sealed.notify) secretsKey.open(n.secretSealed, ctx.notifyContext(n.companyId, 'secret'));
      } catch {
        throw new SecretsKeyMismatchError(
          'The server key cannot open the webhook secrets stored in this database: start every process with the SECRETS_KEY ' +
            "(or the data folder's secrets.key) they were sealed with",
        );
      }
    },
  };
}
