import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock/clock.js';
import type { Executor } from '../db/engine.js';
import { afterCommit } from '../db/transaction.js';
import { IdempotencyKeyInvalidError, IdempotencyKeyMissingError, IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from './errors.js';
import { IDEMPOTENCY_KEY_PATTERN, legacyRequestFingerprint, requestFingerprint, type FingerprintDigest } from './fingerprint.js';
import { claimIdempotencyKey, completeIdempotencyRecord, endIdempotencyLease, releaseIdempotencyClaim, saveRecoveryPoint } from './repository.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Idempotency-Key handling of a POST: `optional` (the default) honours the header when sent,
     * `required` answers 400 without it (routes that move money), `off` ignores it: for routes
     * whose answer holds a secret (a merchant token), which must never be stored.
     */
    idempotency?: 'required' | 'optional' | 'off';
  }
}

export interface IdempotencySettings {
  retentionHours: number;
  leaseSeconds: number;
}

export interface IdempotencyDeps {
  db: Executor;
  /** The platform clock: retention and leases run on real time, not on a company's sandbox clock. */
  clock: Clock;
  settings: IdempotencySettings;
  /** Keys the stored request fingerprints (the server's secrets key, ADR 0047). */
  fingerprintDigest: FingerprintDigest;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** Response headers stored and replayed with the body; others (request-id, retry-after) belong to each attempt. */
const STORED_HEADERS = ['content-type', 'x-error-code'] as const;

interface Claim {
  companyId: string;
  key: string;
  leaseToken: string;
  reply: FastifyReply;
  deps: IdempotencyDeps;
  /** Set by completeIdempotency: the record may already be completed inside the business transaction. */
  completedInTransaction: boolean;
  settled: boolean;
  /** The recovery point a previous holder of the key left when its process died, if any. */
  recoveryPoint: Record<string, string> | null;
  /** This request committed a recovery point: its effect has begun, and a 5xx keeps the record for a retry to resume. */
  resumable: boolean;
}

const claims = new WeakMap<FastifyRequest, Claim>();

/**
 * The Idempotency-Key layer of every POST in the scope it is registered on (the `/api` scope).
 * Register it before `registerPayloadEncryption`: the claim runs in preHandler, after the
 * encryption hook's preValidation decrypted the body and after schema validation (a request that
 * fails validation is never stored), and its onSend runs first, so it stores the plain serialized
 * answer and a replay is wrapped again like any response.
 */
export function registerIdempotency(app: FastifyInstance, deps: IdempotencyDeps): void {
  const leaseMs = deps.settings.leaseSeconds * 1000;
  const retentionMs = deps.settings.retentionHours * 3_600_000;

  // Each POST documents the header in its schema, so /openapi.json shows it. Only a `string` is
  // declared: the format is checked below, to answer idempotency_key_invalid rather than a generic
  // validation error.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || route.config?.idempotency === 'off') return;
    // Copies, not edits: a schema object may be shared by several routes.
    const schema = (route.schema ?? {}) as { headers?: { properties?: Record<string, unknown> } };
    const headers: { type?: string; properties?: Record<string, unknown> } = schema.headers ?? { type: 'object' };
    route.schema = {
      ...schema,
      headers: {
        ...headers,
        properties: {
          ...headers.properties,
          [IDEMPOTENCY_HEADER]: {
            type: 'string',
            description:
              '1 to 255 printable ASCII characters, unique per logical request. A retry with the same key and request replays the stored answer ' +
              '(`Idempotent-Replayed: true`); another request with the key gets 422, a retry while the first runs 409. ' +
              (route.config?.idempotency === 'required' ? 'Required on this route.' : 'Optional.'),
          },
        },
      },
    };
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.principal) return;
    const mode = request.routeOptions.config.idempotency ?? 'optional';
    if (mode === 'off') return;
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) {
      if (mode === 'required') throw new IdempotencyKeyMissingError('Missing required header Idempotency-Key', { param: 'Idempotency-Key' });
      return;
    }
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw new IdempotencyKeyInvalidError('Invalid header Idempotency-Key: must be 1 to 255 printable ASCII characters', { param: 'Idempotency-Key' });
    }
    const companyId = request.principal.companyId;
    const route = request.routeOptions.url ?? request.url.split('?')[0]!;
    const leaseToken = randomBytes(16).toString('hex');
    const shape = { method: request.method, route, params: request.params, query: request.query, body: request.body };
    const outcome = await claimIdempotencyKey(deps.db, {
      companyId,
      key: header,
      fingerprint: requestFingerprint(shape, deps.fingerprintDigest),
      legacyFingerprint: legacyRequestFingerprint(shape),
      method: request.method,
      path: request.url.split('?')[0]!,
      leaseToken,
      now: deps.clock.now(),
      leaseMs,
      retentionMs,
    });
    switch (outcome.kind) {
      case 'claimed':
        if (outcome.takeover === 'expired_lease') request.log.warn({ idempotencyKey: header }, 'idempotency claim taken over after its lease expired');
        claims.set(request, {
          companyId,
          key: header,
          leaseToken,
          reply,
          deps,
          completedInTransaction: false,
          settled: false,
          recoveryPoint: outcome.recoveryPoint,
          resumable: false,
        });
        return;
      case 'replay':
        request.log.info({ idempotencyKey: header, status: outcome.status }, 'idempotent replay');
        // As text when it is text, so the onSend hooks (the AES wrapping) treat it like a fresh answer.
        return reply.code(outcome.status).headers(outcome.headers).header(REPLAYED_HEADER, 'true').send(asSent(outcome.body));
      case 'mismatch':
        throw new IdempotencyKeyReusedError(
          'Idempotency-Key was already used for a different request (method, path or body); send a new key for a new request',
          { param: 'Idempotency-Key' },
        );
      case 'in_progress':
        throw new IdempotencyRequestInProgressError('A request with this Idempotency-Key is still being processed; retry it in a moment', {
          param: 'Idempotency-Key',
          headers: { 'retry-after': '1' },
        });
    }
  });

  // Runs before the encryption onSend (registered after this one): `payload` is the plain serialized answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim || claim.settled) return payload;
    claim.settled = true;
    const body =
      typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.isBuffer(payload) ? payload : payload == null ? Buffer.alloc(0) : undefined;
    const ref = { companyId: claim.companyId, key: claim.key, leaseToken: claim.leaseToken };
    try {
      if ((reply.statusCode >= 500 && claim.resumable) || body === undefined) {
        // A 5xx after the request committed a recovery point (its effect has begun, ADR 0046): the
        // record keeps the point and its lease ends now, so a retry with the key resumes that
        // effect at once instead of starting a second one (ADR 0026).
        if (body !== undefined) await endIdempotencyLease(deps.db, { ...ref, now: deps.clock.now() });
        else await releaseIdempotencyClaim(deps.db, ref);
        return payload;
      }
      if (reply.statusCode >= 500) {
        // Our 5xx means the business transaction rolled back: forget the claim so a retry runs again.
        // (A streamed body cannot be stored either; no route under /api streams.)
        await releaseIdempotencyClaim(deps.db, ref);
        return payload;
      }
      const stored = await completeIdempotencyRecord(deps.db, {
        ...ref,
        status: reply.statusCode,
        headers: storedHeaders(reply),
        body,
        now: deps.clock.now(),
      });
      if (!stored && !claim.completedInTransaction) {
        request.log.warn({ idempotencyKey: claim.key }, 'idempotency answer not stored: the claim was taken over after its lease expired');
      }
    } catch (err) {
      // The answer is still sent; the claim stays in progress until its lease ends (ADR 0010, crash window).
      request.log.error({ err, idempotencyKey: claim.key }, 'idempotency answer could not be stored');
    }
    return payload;
  });
}

function asSent(body: Buffer): string | Buffer {
  const text = body.toString('utf8');
  return Buffer.byteLength(text, 'utf8') === body.length && Buffer.from(text, 'utf8').equals(body) ? text : body;
}

function storedHeaders(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}

/**
 * Exactly-once for a service: completes the request's idempotency record INSIDE the business
 * transaction `tx`, so the effect and its stored answer commit together (house style 2.9). Call it
 * last in the transaction with the status and body the handler will answer; the body is
 * serialized with the route's response schema, as the reply will be. If the process dies after
 * the commit and before the answer leaves, the retry replays this stored answer instead of running
 * the effect again (the hook-only path would release or re-run it; ADR 0010).
 *
 * Returns false when the request carries no Idempotency-Key (nothing to complete). Throws
 * IdempotencyRequestInProgressError (rolling the transaction back) when this request no longer
 * holds the claim: its lease ran out and a retry took the key over, so the effect must not commit.
 */
export async function completeIdempotency(tx: Executor, request: FastifyRequest, statusCode: number, body: unknown): Promise<boolean> {
  const claim = claims.get(request);
  if (!claim || claim.settled) return false;
  claim.reply.code(statusCode);
  const serialized = typeof body === 'string' ? body : (claim.reply.serialize(body) as string);
  if (!claim.reply.hasHeader('content-type')) claim.reply.type('application/json; charset=utf-8');
  const stored = await completeIdempotencyRecord(tx, {
    companyId: claim.companyId,
    key: claim.key,
    leaseToken: claim.leaseToken,
    status: statusCode,
    headers: storedHeaders(claim.reply),
    body: Buffer.from(serialized, 'utf8'),
    now: claim.deps.clock.now(),
  });
  if (!stored) {
    throw new IdempotencyRequestInProgressError('Another request with this Idempotency-Key took over; retry it in a moment', {
      param: 'Idempotency-Key',
      headers: { 'retry-after': '1' },
    });
  }
  claim.completedInTransaction = true;
  return true;
}

/**
 * The recovery point (see saveIdempotencyRecoveryPoint) that an earlier run of this very request
 * (same key, same fingerprint) left when its process died before answering; null when there is
 * none, or no Idempotency-Key.
 */
export function idempotencyRecoveryPoint(request: FastifyRequest): Record<string, string> | null {
  return claims.get(request)?.recoveryPoint ?? null;
}

/**
 * Records, in the business transaction `tx`, how far a request that runs in several transactions
 * got (e.g. the payment attempt it created), so that a retry taking the key over after a crash
 * resumes that effect rather than starting a second one (Brandur's recovery points, ADR 0026).
 * Returns false without an Idempotency-Key. Throws IdempotencyRequestInProgressError (rolling
 * `tx` back) when a retry took the key over meanwhile: its own run owns the effect.
 */
export async function saveIdempotencyRecoveryPoint(tx: Executor, request: FastifyRequest, point: Record<string, string>): Promise<boolean> {
  const claim = claims.get(request);
  if (!claim || claim.settled) return false;
  if (!(await saveRecoveryPoint(tx, claim, point))) {
    throw new IdempotencyRequestInProgressError('Another request with this Idempotency-Key took over; retry it in a moment', {
      param: 'Idempotency-Key',
      headers: { 'retry-after': '1' },
    });
  }
  afterCommit(tx, () => {
    claim.resumable = true;
  });
  return true;
}
