import type { FastifyInstance } from 'fastify';

/** Liveness (the process answers) and readiness (the database answers). */
export function registerHealthRoutes(app: FastifyInstance, ping: () => Promise<void>): void {
  const status = {
    type: 'object',
    properties: { status: { type: 'string', enum: ['UP', 'DOWN'] } },
    required: ['status'],
  } as const;
  // A poll (a load balancer, `npm start`'s watcher, a test) every second must not fill the request log: these log at warn.
  app.get('/health', { logLevel: 'warn', schema: { tags: ['Operations'], summary: 'Liveness', response: { 200: status } } }, async () => ({ status: 'UP' }));
  app.get(
    '/ready',
    { logLevel: 'warn', schema: { tags: ['Operations'], summary: 'Readiness: the database is reachable', response: { 200: status, 503: status } } },
    async (request, reply) => {
      try {
        await ping();
        return { status: 'UP' };
      } catch (err) {
        request.log.warn({ err }, 'database not reachable');
        return reply.code(503).send({ status: 'DOWN' });
      }
    },
  );
}
