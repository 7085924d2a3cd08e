import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { envelope, envelopeSchema } from '../http/envelope.js';
import { ValidationError } from '../errors/app-error.js';
import type { TimerRunner } from '../jobs/timers.js';
import { ClockBackwardsError, SandboxOnlyError } from './errors.js';
import type { SandboxClock } from './sandbox-clock.js';

/** Ten years: far enough for any schedule a sandbox test runs, short of Date's range. */
const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600;

const clockPayload = Type.Object({
  companyId: Type.String({ examples: ['CEK1GZBO6A'] }),
  now: Type.String({ format: 'date-time', description: 'The company’s sandbox time.' }),
  realNow: Type.String({ format: 'date-time', description: 'Real time on the server.' }),
  offsetSeconds: Type.Number({ description: 'How far the sandbox clock is ahead of real time.' }),
  pendingTimers: Type.Integer({ description: 'Timers scheduled and not yet run.' }),
  nextTimerAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const advanceBody = Type.Object(
  {
    seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ADVANCE_SECONDS, description: 'Move forward by this many seconds.' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Move forward to this instant (ISO 8601 with a zone).' })),
  },
  { additionalProperties: false },
);

export function registerSandboxClockRoutes(
  app: FastifyInstance,
  deps: { clocks: SandboxClock; timers: TimerRunner; isSandboxCompany: (companyId: string) => Promise<boolean> },
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { clocks, timers } = deps;

  const describe = async (companyId: string) => {
    const [state, pending] = await Promise.all([clocks.state(companyId), timers.pending(companyId)]);
    return {
      companyId,
      now: state.now.toISOString(),
      realNow: state.realNow.toISOString(),
      offsetSeconds: Number(state.offsetMs) / 1000,
      pendingTimers: pending.count,
      nextTimerAt: pending.nextDueAt?.toISOString() ?? null,
    };
  };

  api.get(
    '/v0/sandbox/clock',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.clock.get',
        summary: 'The company’s sandbox clock (Tijori extension)',
        security: [{ bearer: [] }],
        response: { 200: envelopeSchema(clockPayload) },
      },
    },
    async (request) => envelope(await describe(request.principal!.companyId)),
  );

  api.post(
    '/v0/sandbox/clock/advance',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.clock.advance',
        summary: 'Move the sandbox clock forward (Tijori extension)',
        description:
          'Moves the company’s sandbox clock forward by `seconds` or to the instant `to` (exactly one of them). Every timer ' +
          'due on the way (settlements, retries, expiries…) runs in order, each seeing its own due time as now; the call ' +
          'returns after all of them have run. The clock never moves back. Only for companies in sandbox mode (the default).',
        security: [{ bearer: [] }],
        body: advanceBody,
        response: {
          200: envelopeSchema(Type.Object({ ...clockPayload.properties, previousNow: Type.String({ format: 'date-time' }), timersFired: Type.Integer() })),
        },
      },
    },
    async (request) => {
      const companyId = request.principal!.companyId;
      // A live company's time is real time: settlements and retries must not be hurried.
      if (!(await deps.isSandboxCompany(companyId))) throw new SandboxOnlyError('The sandbox clock can only be advanced for a company in sandbox mode');
      const body = request.body;
      if ((body.seconds === undefined) === (body.to === undefined)) {
        throw new ValidationError('Send exactly one of seconds or to', { param: body.seconds === undefined ? 'seconds' : 'to' });
      }
      // From the database, not the cache: an advance by `seconds` counts from the latest time, even one set a moment ago elsewhere.
      const before = (await clocks.state(companyId)).now;
      const target = body.to === undefined ? new Date(before.getTime() + body.seconds! * 1000) : new Date(body.to);
      if (target.getTime() < before.getTime()) {
        throw new ClockBackwardsError(`The sandbox clock only moves forward: it is already ${before.toISOString()}`, { param: 'to' });
      }
      if (target.getTime() - before.getTime() > MAX_ADVANCE_SECONDS * 1000) {
        throw new ValidationError(`Invalid field to: at most ${MAX_ADVANCE_SECONDS} seconds ahead`, { param: 'to' });
      }
      const { fired } = await timers.advance(companyId, target);
      return envelope({ ...(await describe(companyId)), previousNow: before.toISOString(), timersFired: fired });
    },
  );
}
