import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { sandboxApi } from '../support/api-client.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { cleanup, createPostgresDatabase, startServer, tempDir, type Server } from '../support/process.js';

// `tijori start --no-workers` serves the API and leaves background work to `tijori worker`. On
// PostgreSQL the two run side by side; on the embedded database, which one process owns at a time,
// the worker runs after the server stopped and delivers what the server left waiting.
const adminUrl = process.env['TEST_DATABASE_URL'];
const SLOW = 300_000;

afterAll(cleanup, SLOW);

describe(`tijori worker (${adminUrl ? 'PostgreSQL, beside the server' : 'PGlite, after the server'})`, { timeout: SLOW }, () => {
  it('delivers the webhooks that a server without workers published', async () => {
    const scratch = adminUrl ? await createPostgresDatabase() : undefined;
    const dataDir = adminUrl ? undefined : tempDir();
    const receiver = await startReceiver();
    const env = scratch ? { DATABASE_URL: scratch.url, TIJORI_SEED: 'true', SECRETS_KEY: '7a'.repeat(32) } : {};
    let server: Server | undefined;
    let worker: Server | undefined;
    try {
      server = await startServer({ env, args: ['--no-workers'], ...(dataDir ? { dataDir } : {}) });
      const { call } = await sandboxApi(() => server!.url);
      const config = await call('POST', '/api/v0/webhook-data', {
        webhookUrl: `${receiver.url}/hooks`,
        events: ['WEBHOOK_TEST'],
        enabled: true,
        companyId: SANDBOX.companyId,
      });
      expect(config.status, JSON.stringify(config.json)).toBe(200);
      const test = await call('POST', '/api/v0/webhook-data/test', { webhookId: config.json.payload['webhookId'], message: 'for the worker' });
      expect(test.status).toBe(200);
      const eventId = test.json.payload['eventId'] as string;

      // Nothing runs the delivery job in the server: two polling intervals pass without a request.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.received).toEqual([]);

      if (dataDir) expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      worker = await startServer({ command: 'worker', env, ...(dataDir ? { dataDir } : {}) });
      expect(worker.stdout).toMatch(/worker is running/);
      const [delivery] = await receiver.waitFor(1, 30_000);
      expect(delivery!.headers['webhook-id']).toBe(eventId);
      expect(JSON.parse(delivery!.body)).toMatchObject({ event: 'WEBHOOK_TEST', message: 'for the worker' });

      expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await worker?.stop('SIGKILL');
      await server?.stop('SIGKILL');
      await receiver.close();
      await scratch?.drop();
    }
  });
});
