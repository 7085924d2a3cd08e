import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { sandboxApi } from '../support/api-client.js';
import { cleanup, createPostgresDatabase, runCli, startServer, tempDir, type Server } from '../support/process.js';

// At-least-once across a crash: a real `tijori start` is killed with SIGKILL while events wait in
// the outbox and deliveries are in flight; after a restart every event reaches the receiver and
// the delivery log shows it SUCCEEDED. On PostgreSQL (CI's second run) with 1,000 events; on the
// embedded database with 200 on its data folder, which must survive the kill as well.
const adminUrl = process.env['TEST_DATABASE_URL'];
const EVENTS = adminUrl ? 1000 : 200;
const SLOW = 600_000;
const SERVER_KEY = '5e'.repeat(32);

afterAll(cleanup, SLOW);

describe(`webhook delivery across a SIGKILL (${adminUrl ? 'PostgreSQL' : 'PGlite'})`, { timeout: SLOW }, () => {
  it(`delivers each of ${EVENTS} events at least once after a restart, and the log shows each id`, async () => {
    const scratch = adminUrl ? await createPostgresDatabase() : undefined;
    const dataDir = adminUrl ? undefined : tempDir();
    const receiver = await startReceiver();
    // Slow answers keep most events waiting when the kill comes: a dispatcher has at most two
    // batches of 50 in flight, so 8 s answers let about 12 a second through whatever the speed of
    // the publishing loop on a loaded machine.
    receiver.behave(() => ({ status: 200, body: 'ok', delayMs: 8000 }));
    // A short delivery timeout (above the slow answers) keeps the lease of an attempt cut off by the kill short.
    // On PostgreSQL the server key comes from SECRETS_KEY, as in production (each start runs in a
    // fresh folder); the embedded database keeps its key file in the data folder.
    const env = {
      TIJORI_WEBHOOK_TIMEOUT_MS: '10000',
      ...(scratch ? { DATABASE_URL: scratch.url, TIJORI_SEED: 'true', SECRETS_KEY: SERVER_KEY } : {}),
    };
    const start = () => startServer({ env, ...(dataDir ? { dataDir } : {}) });
    let server: Server | undefined = await start();
    /** Where deliveries and their jobs stand, for a failure message (PostgreSQL only). */
    const diagnose = async () => {
      if (!scratch) return '';
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const jobs = await client.query("select state, count(*)::int as n from pgboss.job where name = 'webhook.deliver' group by state");
        const deliveries = await client.query('select status, count(*)::int as n from webhook_deliveries group by status');
        return `jobs ${JSON.stringify(jobs.rows)} deliveries ${JSON.stringify(deliveries.rows)}`;
      } finally {
        await client.end();
      }
    };
    try {
      const client = await sandboxApi(() => server!.url);
      const api = client.call;
      const config = await api('POST', '/api/v0/webhook-data', {
        webhookUrl: `${receiver.url}/hooks`,
        headers: { 'x-static': 'kept' },
        events: ['WEBHOOK_TEST'],
        enabled: true,
        companyId: SANDBOX.companyId,
        sslCertificate: null,
      });
      expect(config.status, JSON.stringify(config.json)).toBe(200);
      const webhookId = (config.json.payload as { webhookId: string }).webhookId;

      const eventIds: string[] = [];
      for (let i = 0; i < EVENTS; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(20, EVENTS - i) }, (_, j) => api('POST', '/api/v0/webhook-data/test', { webhookId, message: `event ${i + j}` })),
        );
        for (const res of batch) {
          expect(res.status).toBe(200);
          eventIds.push(res.json.payload['eventId'] as string);
        }
      }
      const receivedBeforeKill = new Set(receiver.received.map((r) => r.headers['webhook-id'])).size;
      expect(await server.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      // Most events were still waiting when the process died.
      expect(receivedBeforeKill).toBeLessThan(EVENTS / 2);

      receiver.behave({ status: 200, body: 'ok' });
      server = await start();
      await client.relogin();
      const deadline = Date.now() + 240_000;
      const missing = () => {
        const seen = new Set(receiver.received.map((r) => r.headers['webhook-id']));
        return eventIds.filter((id) => !seen.has(id));
      };
      while (missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(missing(), `${await diagnose()}\nserver stderr:\n${server.stderr.slice(-3000)}`).toEqual([]);

      // Every delivery carried the static header and its event's stable id.
      for (const r of receiver.received) {
        expect(r.headers['x-static']).toBe('kept');
        expect(eventIds).toContain(r.headers['webhook-id']);
      }
      // The delivery log shows each id SUCCEEDED. Attempts cut off by the kill were received but
      // not recorded; they are sent again once their lease ends (a duplicate, as at-least-once allows).
      const notSucceeded = async () => {
        const pending: string[] = [];
        for (let i = 0; i < eventIds.length; i += 25) {
          const views = await Promise.all(eventIds.slice(i, i + 25).map((id) => api('GET', `/api/v0/events/${id}`)));
          views.forEach((view, j) => {
            const deliveries = view.json.payload['deliveries'] as { status: string }[];
            if (view.status !== 200 || !deliveries.some((d) => d.status === 'SUCCEEDED')) pending.push(eventIds[i + j]!);
          });
        }
        return pending;
      };
      let notDelivered = await notSucceeded();
      while (notDelivered.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        notDelivered = await notSucceeded();
      }
      expect(notDelivered).toEqual([]);
      const duplicates = receiver.received.length - EVENTS;
      process.stdout.write(`webhook restart: ${EVENTS} events, ${receivedBeforeKill} delivered before the kill, ${duplicates} duplicate deliveries\n`);

      // A process started with another server key cannot open the sealed secrets (merchant keys are
      // checked first, then webhook secrets): it refuses to start.
      await server.stop('SIGTERM');
      const wrongKey = await runCli(['start', '--port', '0', ...(dataDir ? ['--data-dir', dataDir] : [])], { env: { ...env, SECRETS_KEY: 'ab'.repeat(32) } });
      expect(wrongKey.code, wrongKey.stdout + wrongKey.stderr).toBe(1);
      expect(wrongKey.stderr).toMatch(/The server key cannot open the (webhook )?secrets .*stored in this database/);
    } finally {
      await server?.stop('SIGKILL');
      await receiver.close();
      await scratch?.drop();
    }
  });
});
