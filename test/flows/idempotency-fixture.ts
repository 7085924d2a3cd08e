import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/core/db/engine.js';
import { queryRows, rawSql, uniqueViolation, withTransaction } from '../../src/core/db/transaction.js';
import { AppError } from '../../src/core/errors/app-error.js';
import { completeIdempotency } from '../../src/core/idempotency/index.js';

/** Fixture routes of idempotency.test.ts (PAY-1): each has a real effect, a row in a scratch table. */

/** A product's documented duplicate answer for a merchant id (EnKash: "duplicate orderId"). */
export class DuplicateOrderError extends AppError {
  readonly category = 'conflict' as const;
  readonly status = 409;
  readonly code = 'duplicate_order_id';
}

export interface EffectBody {
  tag: string;
  amount: number;
  orderId?: string;
}

/** The switches of the fixture routes, set by the tests. */
export interface EffectControls {
  database: Database;
  /** Requests still to fail with a 500 before any effect (our 5xx = rolled back). */
  failBeforeEffect: number;
  /** Requests still to fail with a 500 after their effect committed (the crash window). */
  failAfterCommit: number;
  /** While set, handlers wait for it before doing anything (a request "in flight"). */
  gate: Promise<void> | null;
}

async function insertEffect(exec: Database['db'], companyId: string, route: string, body: EffectBody): Promise<number> {
  try {
    const [row] = await queryRows<{ id: number }>(
      exec,
      rawSql('insert into idem_effects (company_id, route, tag, amount, order_id) values ($1, $2, $3, $4, $5) returning id', [
        companyId,
        route,
        body.tag,
        body.amount,
        body.orderId ?? null,
      ]),
    );
    return row!.id;
  } catch (err) {
    if (uniqueViolation(err) === 'uq_idem_effects_company_order') throw new DuplicateOrderError(`Duplicate orderId ${body.orderId}`, { param: 'orderId' });
    throw err;
  }
}

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tag', 'amount'],
  properties: { tag: { type: 'string' }, amount: { type: 'number' }, orderId: { type: 'string' } },
} as const;

export function effectRoutes(c: EffectControls): (api: FastifyInstance) => void {
  return (api) => {
    // Hook-only path: the effect commits, then the hook stores the answer in onSend.
    api.post<{ Body: EffectBody; Params: { bucket: string } }>(
      '/v0/test/effects/:bucket',
      { config: { scope: 'write', payloadEncryption: true }, schema: { body: bodySchema } },
      async (request) => {
        if (c.gate) await c.gate;
        if (c.failBeforeEffect > 0) {
          c.failBeforeEffect--;
          throw new Error('simulated failure before the effect');
        }
        const effectId = await insertEffect(c.database.db, request.principal!.companyId, 'effects', request.body);
        if (c.failAfterCommit > 0) {
          c.failAfterCommit--;
          throw new Error('simulated failure after the commit');
        }
        return { response_code: 0, response_message: 'SUCCESS', payload: { effectId, bucket: request.params.bucket, ...request.body } };
      },
    );
    // In-transaction path: the effect and the stored answer commit together.
    api.post<{ Body: EffectBody }>(
      '/v0/test/exactly-once',
      {
        config: { scope: 'write' },
        schema: {
          body: bodySchema,
          response: {
            200: {
              type: 'object',
              properties: {
                response_code: { type: 'integer' },
                response_message: { type: 'string' },
                payload: { type: 'object', properties: { effectId: { type: 'integer' }, tag: { type: 'string' } } },
              },
            },
          },
        },
      },
      async (request) => {
        const gateAtStart = c.gate;
        // PGlite has one connection: a transaction held open would also hold up the retry's claim,
        // so there the stuck request waits just before its transaction; on PostgreSQL, inside it.
        if (gateAtStart && c.database.kind === 'pglite') await gateAtStart;
        const answer = await withTransaction(c.database.db, async (tx) => {
          const effectId = await insertEffect(tx, request.principal!.companyId, 'exactly-once', request.body);
          if (gateAtStart && c.database.kind === 'postgres') await gateAtStart;
          // `internal` is dropped by the response schema: what is stored is what is sent.
          const body = { response_code: 0, response_message: 'SUCCESS', payload: { effectId, tag: request.body.tag, internal: 'not for the wire' } };
          await completeIdempotency(tx, request, 200, body);
          return body;
        });
        if (c.failAfterCommit > 0) {
          c.failAfterCommit--;
          throw new Error('simulated failure after the commit');
        }
        return answer;
      },
    );
    api.post<{ Body: EffectBody }>(
      '/v0/test/required',
      { config: { scope: 'write', idempotency: 'required' }, schema: { body: bodySchema } },
      async (request) => ({
        response_code: 0,
        response_message: 'SUCCESS',
        payload: { effectId: await insertEffect(c.database.db, request.principal!.companyId, 'required', request.body) },
      }),
    );
    api.get('/v0/test/effects/count', { config: { scope: 'read' } }, async (request) => {
      const [row] = await queryRows<{ n: number }>(
        c.database.db,
        rawSql('select count(*)::int as n from idem_effects where company_id = $1', [request.principal!.companyId]),
      );
      return { response_code: 0, response_message: 'SUCCESS', payload: { count: row!.n } };
    });
    // Like a merchant-token route: the answer holds a secret, so it must never be stored.
    api.post<{ Body: EffectBody }>('/v0/test/secret', { config: { scope: 'write', idempotency: 'off' }, schema: { body: bodySchema } }, async (request) => {
      const effectId = await insertEffect(c.database.db, request.principal!.companyId, 'secret', request.body);
      return { response_code: 0, response_message: 'SUCCESS', payload: { token: `secret-${effectId}` } };
    });
  };
}
