/**
 * Child process: the baseline of the status read, a bare fastify 5 server with one JSON route,
 * `GET /api/v0/payment/:transactionId` (and `POST /api/*` for the payout transfer's baseline),
 * and nothing else (no hooks, no schema, no database). It
 * answers the body the parent sends in `{type: 'body', body}` (a real answer of Tijori's status
 * route, so both serialise the same object), with the transactionId of the path put in. Replies
 * `ready` with the port.
 */
import Fastify from 'fastify';
import { onStop, send, serveStats } from './child.js';

async function main(): Promise<void> {
  let body: Record<string, unknown> = {};
  process.on('message', (m: { type?: string; body?: Record<string, unknown> }) => {
    if (m?.type === 'body' && m.body) {
      body = m.body;
      send({ type: 'body-set' });
    }
  });
  const app = Fastify({ logger: false });
  app.get('/api/v0/payment/:transactionId', async (request) => {
    const { transactionId } = request.params as { transactionId: string };
    const payload = body['payload'];
    return payload && typeof payload === 'object' ? { ...body, payload: { ...payload, transactionId } } : body;
  });
  // The baseline of a JSON POST (the payout transfer): parses the body, answers with its transactionId put in.
  app.post('/api/*', async (request) => {
    const { transactionId } = (request.body ?? {}) as { transactionId?: unknown };
    const payload = body['payload'];
    return payload && typeof payload === 'object' ? { ...body, payload: { ...payload, transactionId } } : body;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serveStats();
  onStop(() => app.close());
  send({ type: 'ready', port });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
