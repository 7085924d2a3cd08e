import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { MAX_ATTEMPTS } from '../../src/core/events/model.js';
import { abandonDelivery, claimDelivery, completeAttempt, listStalledDeliveries, type AttemptRow } from '../../src/core/events/repository.js';
import { newId } from '../../src/core/ids/ids.js';
import { backend, queryRows, type TestApp } from '../support/app.js';
import { basic, postForm } from '../support/oauth.js';
import { webhookHarness, type TestReceiver } from './webhooks-harness.js';

/**
 * Webhook delivery under workers that race, die or lose their lease (WH-3/4), a live company's SSRF
 * guard and secrets sealed at rest, against the same receiver as webhooks.test.ts.
 */
describe(`webhook workers, live companies and secrets at rest (${backend})`, () => {
  const h = webhookHarness();
  const { modes, api, createConfig, sendTest, event, at, waitAt, waitStatus, advance } = h;
  let t: TestApp;
  let rx: TestReceiver;
  let bearer: string;
  beforeAll(() => {
    ({ t, rx, bearer } = h.state);
  });

  it('lets exactly one of many concurrent workers make a due attempt', async () => {
    const config = await createConfig('/race');
    modes.set('/race', { status: 500 });
    const eventId = await sendTest(config.webhookId);
    const detail = await waitStatus(eventId, 'PENDING');
    const deliveryId = detail.deliveries[0].deliveryId as string;
    modes.set('/race', { status: 200 });
    // Due on the sandbox clock, but its timer not run: ten workers race for the attempt.
    await t.services.clocks.moveForwardTo(SANDBOX.companyId, new Date(detail.deliveries[0].nextAttemptAt));
    await Promise.all(Array.from({ length: 10 }, () => t.services.events.deliver(SANDBOX.companyId, deliveryId)));
    expect(at('/race', eventId)).toHaveLength(2);
    expect((await event(eventId)).deliveries[0]).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    await advance(1);
    expect(at('/race', eventId)).toHaveLength(2);
  });

  it('re-queues a delivery whose worker died mid-attempt, keeping the attempt number', async () => {
    const config = await createConfig('/crash');
    modes.set('/crash', { status: 500 });
    const eventId = await sendTest(config.webhookId);
    const detail = await waitStatus(eventId, 'PENDING');
    const deliveryId = detail.deliveries[0].deliveryId as string;
    modes.set('/crash', { status: 200 });
    // What a worker killed after claiming attempt 2 leaves behind: SENDING with a lease that ran out.
    await t.database.db.execute(
      sql`update webhook_deliveries set status = 'SENDING', attempt_count = 2, lease_until = ${new Date(t.clock.now().getTime() - 1000).toISOString()}::timestamptz where id = ${deliveryId}`,
    );
    expect(await t.services.events.recoverStalled()).toBeGreaterThanOrEqual(1);
    t.services.events.wake();
    await waitAt('/crash', 2, eventId);
    const after = await waitStatus(eventId, 'SUCCEEDED');
    expect(after.deliveries[0].attemptCount).toBe(2);
    expect(after.deliveries[0].attempts.map((a: { attemptNumber: number }) => a.attemptNumber)).toEqual([1, 2]);
  });

  it('drops the outcome of a worker whose lease was taken over, though the attempt number is the same', async () => {
    const config = await createConfig('/stale');
    modes.set('/stale', { status: 500 });
    const eventId = await sendTest(config.webhookId);
    const detail = await waitStatus(eventId, 'PENDING');
    const deliveryId = detail.deliveries[0].deliveryId as string;
    // No timer may step in: this test plays both workers.
    await t.database.db.execute(
      sql`update sandbox_timers set status = 'FAILED', lease_until = null where kind = 'webhook.retry' and payload::text like ${`%${deliveryId}%`}`,
    );
    const sandboxNow = new Date(detail.deliveries[0].nextAttemptAt);
    await t.services.clocks.moveForwardTo(SANDBOX.companyId, sandboxNow);
    const wallNow = t.clock.now();
    const claim = (leaseToken: string, leaseUntil: Date) =>
      claimDelivery(t.database.db, SANDBOX.companyId, deliveryId, { sandboxNow, wallNow, leaseUntil, leaseToken, maxAttempts: MAX_ATTEMPTS });
    // The slow worker claims attempt 2 and outlives its lease; another takes attempt 2 over.
    expect((await claim('slow-worker', new Date(wallNow.getTime() - 1)))?.attemptCount).toBe(2);
    expect((await claim('taker', new Date(wallNow.getTime() + 60_000)))?.attemptCount).toBe(2);
    expect(await claim('third', new Date(wallNow.getTime() + 60_000))).toBeNull();

    const attempt = (outcome: 'SUCCEEDED' | 'FAILED', status: number): AttemptRow => ({
      id: newId('wha', sandboxNow),
      companyId: SANDBOX.companyId,
      deliveryId,
      eventId,
      attemptNumber: 2,
      attemptedAt: sandboxNow,
      webhookTimestamp: Math.floor(wallNow.getTime() / 1000),
      url: config.webhookUrl,
      requestHeaders: {},
      requestBody: '{}',
      outcome,
      responseStatus: status,
      responseBody: String(status),
      error: outcome === 'FAILED' ? `HTTP ${status}` : null,
      latencyMs: 1,
    });
    const outcome = (status: 'SUCCEEDED' | 'FAILED', code: number) => ({
      status,
      nextAttemptAt: null,
      lastResponseStatus: code,
      lastError: status === 'FAILED' ? `HTTP ${code}` : null,
      updatedAt: sandboxNow,
    });
    // The slow worker's outcome, and its abandoning, change nothing.
    expect(await completeAttempt(t.database.db, attempt('FAILED', 500), 'slow-worker', outcome('FAILED', 500))).toBe(false);
    expect(await abandonDelivery(t.database.db, SANDBOX.companyId, deliveryId, 'slow-worker', 'webhook configuration deleted', sandboxNow)).toBe(false);
    const [row] = await queryRows<{ status: string; lease_token: string; attempt_count: number; last_error: string | null }>(
      t.database,
      sql`select status, lease_token, attempt_count, last_error from webhook_deliveries where id = ${deliveryId}`,
    );
    expect(row).toMatchObject({ status: 'SENDING', lease_token: 'taker', attempt_count: 2, last_error: 'HTTP 500' });
    expect((await event(eventId)).deliveries[0].attempts).toHaveLength(1);

    // The worker that holds the lease records its outcome.
    expect(await completeAttempt(t.database.db, attempt('SUCCEEDED', 200), 'taker', outcome('SUCCEEDED', 200))).toBe(true);
    const after = (await event(eventId)).deliveries[0];
    expect(after).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    expect(after.attempts.map((a: { attemptNumber: number; outcome: string }) => [a.attemptNumber, a.outcome])).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ]);
    const [cleared] = await queryRows<{ lease_token: string | null }>(t.database, sql`select lease_token from webhook_deliveries where id = ${deliveryId}`);
    expect(cleared?.lease_token).toBeNull();
  });

  it('re-queues a due PENDING delivery whose job and retry timer were lost, once it has been untouched for the grace period', async () => {
    const config = await createConfig('/lost');
    modes.set('/lost', { status: 500 });
    const eventId = await sendTest(config.webhookId);
    const detail = await waitStatus(eventId, 'PENDING');
    const deliveryId = detail.deliveries[0].deliveryId as string;
    modes.set('/lost', { status: 200 });
    // What a DB error before the claim leaves once the timer gave up: PENDING, and nothing queued.
    await t.database.db.execute(
      sql`update sandbox_timers set status = 'FAILED', lease_until = null where kind = 'webhook.retry' and payload::text like ${`%${deliveryId}%`}`,
    );
    const stalled = async () =>
      (await listStalledDeliveries(t.database.db, { wallNow: t.clock.now(), graceMs: 120_000, maxAttempts: MAX_ATTEMPTS }, 500)).map((d) => d.id);
    const sandboxNow = await t.services.clocks.now(SANDBOX.companyId);
    const minutesAgo = (m: number) => new Date(sandboxNow.getTime() - m * 60_000).toISOString();

    // Not due yet (its retry is in 5 s of sandbox time): a retry waiting for the clock is left alone.
    await t.database.db.execute(sql`update webhook_deliveries set updated_at = ${minutesAgo(10)}::timestamptz where id = ${deliveryId}`);
    expect(await stalled()).not.toContain(deliveryId);
    // Due, but touched a minute ago: its job may still be on its way.
    await t.database.db.execute(
      sql`update webhook_deliveries set next_attempt_at = ${minutesAgo(5)}::timestamptz, updated_at = ${minutesAgo(1)}::timestamptz where id = ${deliveryId}`,
    );
    expect(await stalled()).not.toContain(deliveryId);
    // Due and untouched for three minutes: lost.
    await t.database.db.execute(sql`update webhook_deliveries set updated_at = ${minutesAgo(3)}::timestamptz where id = ${deliveryId}`);
    expect(await stalled()).toContain(deliveryId);

    expect(await t.services.events.recoverStalled()).toBeGreaterThanOrEqual(1);
    t.services.events.wake();
    await waitAt('/lost', 2, eventId);
    const after = await waitStatus(eventId, 'SUCCEEDED');
    expect(after.deliveries[0].attempts.map((a: { attemptNumber: number; outcome: string }) => [a.attemptNumber, a.outcome])).toEqual([
      [1, 'FAILED'],
      [2, 'SUCCEEDED'],
    ]);
    // Delivered: the next sweep leaves it alone.
    expect(await stalled()).not.toContain(deliveryId);
  });

  describe('a live company (not in sandbox mode)', () => {
    let liveBearer: string;
    let companyId: string;

    beforeAll(async () => {
      const company = await t.services.identity.createCompany({ name: 'Live Co' });
      companyId = company.id;
      const { secret } = await t.services.identity.createClient({ companyId, grantTypes: ['client_credentials'], payloadEncryption: 'optional' });
      const token = await postForm(t.app, '/oauth/token', { grant_type: 'client_credentials' }, basic(companyId, secret));
      liveBearer = `Bearer ${token.json().access_token as string}`;
    });

    it("cannot see or touch the sandbox company's configurations and events (404)", async () => {
      const config = await createConfig('/private');
      const eventId = await sendTest(config.webhookId);
      for (const [method, url] of [
        ['GET', `/api/v0/webhook-data/${config.webhookId}`],
        ['POST', `/api/v0/webhook-data/${config.webhookId}/disable`],
        ['POST', `/api/v0/webhook-data/${config.webhookId}/enable`],
        ['POST', `/api/v0/webhook-data/${config.webhookId}/rotate-secret`],
        ['DELETE', `/api/v0/webhook-data/${config.webhookId}`],
        ['GET', `/api/v0/events/${eventId}`],
        ['POST', `/api/v0/events/${eventId}/replay`],
      ] as const) {
        const res = await api(method, url, undefined, liveBearer);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await api('GET', '/api/v0/webhook-data', undefined, liveBearer)).json().payload).toEqual([]);
      expect((await api('GET', '/api/v0/events', undefined, liveBearer)).json().payload.totalElements).toBe(0);
      const test = await api('POST', '/api/v0/webhook-data/test', { webhookId: config.webhookId }, liveBearer);
      expect(test.statusCode).toBe(404);
    });

    it('is refused a loopback target at configuration time and at delivery time (WH-6)', async () => {
      const base = { events: ['WEBHOOK_TEST'], companyId };
      const sandboxOk = await api('POST', '/api/v0/webhook-data', { ...base, webhookUrl: `${rx.url}/live` }, liveBearer);
      expect(sandboxOk.statusCode, sandboxOk.body).toBe(200);
      const webhookId = sandboxOk.json().payload.webhookId as string;

      await t.services.identity.setSandboxMode(companyId, false);
      for (const url of [`${rx.url}/live2`, 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://2130706433/']) {
        const res = await api('POST', '/api/v0/webhook-data', { ...base, webhookUrl: url }, liveBearer);
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['x-error-code']).toBe('webhook_target_forbidden');
      }
      // Configured while in sandbox mode, delivered after the switch: the guard refuses at send time.
      const test = await api('POST', '/api/v0/webhook-data/test', { webhookId }, liveBearer);
      const eventId = test.json().payload.eventId as string;
      const until = Date.now() + 15_000;
      let attempt: { outcome: string; error: string } | undefined;
      while (!attempt && Date.now() < until) {
        attempt = (await api('GET', `/api/v0/events/${eventId}`, undefined, liveBearer)).json().payload.deliveries[0].attempts[0];
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(attempt).toMatchObject({ outcome: 'FAILED', error: expect.stringContaining('refused by the SSRF guard') });
      expect(at('/live')).toHaveLength(0);
      await expect(t.services.events.checkNotifyUrl(companyId, `${rx.url}/n`)).rejects.toMatchObject({ code: 'webhook_target_forbidden', param: 'notifyUrl' });
    });
  });

  it('stores secrets and static headers only sealed, also when the create carried an Idempotency-Key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/webhook-data',
      headers: { authorization: bearer, 'content-type': 'application/json', 'idempotency-key': 'create-sealed-1' },
      payload: JSON.stringify({
        webhookUrl: `${rx.url}/sealed`,
        events: ['WEBHOOK_TEST'],
        companyId: SANDBOX.companyId,
        headers: { 'x-receiver-token': 'very-secret-header-value' },
      }),
    });
    const config = res.json().payload as { webhookId: string; secret: string };
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/v0/webhook-data/${config.webhookId}/rotate-secret`,
      headers: { authorization: bearer, 'content-type': 'application/json', 'idempotency-key': 'rotate-sealed-1' },
      payload: '{}',
    });
    const rotatedSecret = rotated.json().payload.secret as string;
    // enable and disable answer the configuration with its decrypted static headers.
    for (const action of ['disable', 'enable'] as const) {
      const toggled = await t.app.inject({
        method: 'POST',
        url: `/api/v0/webhook-data/${config.webhookId}/${action}`,
        headers: { authorization: bearer, 'idempotency-key': `${action}-sealed-1` },
      });
      expect(toggled.statusCode, toggled.body).toBe(200);
      expect(toggled.json().payload).toMatchObject({ enabled: action === 'enable', headers: { 'x-receiver-token': 'very-secret-header-value' } });
    }
    const idempotency = await queryRows<{ j: string }>(t.database, sql`select row_to_json(x)::text as j from idempotency_keys x`);
    // response_body is bytea: row_to_json shows it as hex, so look for both spellings.
    const headerHex = Buffer.from('very-secret-header-value', 'utf8').toString('hex');
    const answers = await queryRows<{ body: string | null }>(t.database, sql`select convert_from(response_body, 'UTF8') as body from idempotency_keys`);
    expect(answers.map((r) => r.body ?? '').join('\n')).not.toContain('very-secret-header-value');
    expect(idempotency.map((r) => r.j).join('\n')).not.toContain(headerHex);
    expect(idempotency.map((r) => r.j).join('\n')).not.toContain(rotatedSecret.slice(6));
    expect(idempotency.map((r) => r.j).join('\n')).not.toContain(config.secret.slice(6));
    const rows = await queryRows<{ j: string }>(t.database, sql`select row_to_json(x)::text as j from webhook_endpoints x`);
    const notify = await queryRows<{ j: string }>(t.database, sql`select row_to_json(x)::text as j from webhook_notify_secrets x`);
    const attempts = await queryRows<{ j: string }>(t.database, sql`select row_to_json(x)::text as j from webhook_attempts x`);
    const dump = [...rows, ...notify, ...attempts].map((r) => r.j).join('\n');
    expect(dump).toContain(config.webhookId);
    expect(dump).not.toContain(config.secret.slice(6));
    expect(dump).not.toContain(rotatedSecret.slice(6));
    expect(dump).not.toContain('very-secret-header-value');
    expect(dump).not.toContain('static-key');
    expect(dump).not.toContain('whsec_');
    // Nowhere else either: every table of every schema but the system ones.
    const tables = await queryRows<{ s: string; n: string }>(
      t.database,
      sql`select table_schema as s, table_name as n from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((x) => x.n)).toContain('idempotency_keys');
    for (const table of tables) {
      const all = await queryRows<{ j: string }>(
        t.database,
        sql`select row_to_json(x)::text as j from ${sql.identifier(table.s)}.${sql.identifier(table.n)} x`,
      );
      const text = all.map((r) => r.j).join('\n');
      expect(text, `${table.s}.${table.n}`).not.toContain('very-secret-header-value');
      expect(text, `${table.s}.${table.n}`).not.toContain(headerHex);
    }
  });
});
