import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { RETRY_DELAYS_MS } from '../../src/core/events/model.js';
import { backend, queryRows, type TestApp } from '../support/app.js';
import { webhookHarness, type TestReceiver } from './webhooks-harness.js';

/**
 * Webhook delivery end to end (reliability plan §3, WH-1/2/5/6/7) against a real HTTP receiver on
 * 127.0.0.1 that fails, hangs past the delivery timeout and recovers; retries happen when the
 * sandbox clock is advanced through the API.
 */
describe(`webhooks against a real receiver (${backend})`, () => {
  const h = webhookHarness();
  const { modes, api, createConfig, sendTest, event, at, waitAt, waitStatus, waitAll, advance, headersOf } = h;
  let t: TestApp;
  let rx: TestReceiver;
  beforeAll(() => {
    ({ t, rx } = h.state);
  });

  it('registers a configuration (reference §1.6) and refuses bad ones without changing anything', async () => {
    const created = await createConfig('/config', { headers: { 'x-api-key': 'k-123' }, enabled: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({ webhookUrl: `${rx.url}/config`, enabled: true, headers: { 'x-api-key': 'k-123' }, events: ['WEBHOOK_TEST'] });

    // Posting the same URL updates it; the secret is not shown again.
    const updated = await api('POST', '/api/v0/webhook-data', {
      webhookUrl: `${rx.url}/config`,
      events: ['WEBHOOK_TEST', 'WEBHOOK_ENDPOINT_DISABLED'],
      companyId: SANDBOX.companyId,
      headers: { 'x-api-key': 'k-456' },
    });
    expect(updated.json().payload).toMatchObject({
      webhookId: created.webhookId,
      secret: null,
      events: ['WEBHOOK_ENDPOINT_DISABLED', 'WEBHOOK_TEST'],
      headers: { 'x-api-key': 'k-456' },
    });

    const bad = async (body: object, status: number, code: string, message: RegExp) => {
      const res = await api('POST', '/api/v0/webhook-data', { webhookUrl: `${rx.url}/bad`, events: ['WEBHOOK_TEST'], companyId: SANDBOX.companyId, ...body });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['x-error-code']).toBe(code);
      expect(res.json()).toEqual({ response_code: status, response_message: expect.stringMatching(message), payload: null });
    };
    await bad({ companyId: 'CEK0000000' }, 412, 'invalid_company_id', /^Invalid Company ID$/);
    await bad({ webhookUrl: 'ftp://example.com/x' }, 400, 'invalid_webhook_config', /webhookUrl/);
    await bad({ webhookUrl: 'not a url' }, 400, 'invalid_webhook_config', /webhookUrl/);
    await bad({ events: ['PAYOUT_NOPE'] }, 400, 'invalid_webhook_config', /PAYOUT_NOPE/);
    await bad({ headers: { 'Webhook-Signature': 'x' } }, 400, 'invalid_webhook_config', /Webhook-Signature/);
    await bad({ headers: { 'content-type': 'text/plain' } }, 400, 'invalid_webhook_config', /content-type/);
    await bad(
      { headers: { 'X-Tijori-Event-Type': 'PAYOUT_SUCCESS' } },
      400,
      'invalid_webhook_config',
      /^headers\.X-Tijori-Event-Type is set by Tijori on every delivery and cannot be configured$/,
    );
    await bad({ headers: { 'User-Agent': 'mine/1.0' } }, 400, 'invalid_webhook_config', /^headers\.User-Agent is set by Tijori/);
    await bad({ sslCertificate: 'not a certificate' }, 400, 'invalid_webhook_config', /sslCertificate/);
    await bad({ events: [] }, 400, 'validation_failed', /events/);

    // A sandbox company's URL is not resolved when configured: an offline sandbox can name any host.
    const offline = await api('POST', '/api/v0/webhook-data', {
      webhookUrl: 'https://hooks.example.invalid/x',
      events: ['WEBHOOK_TEST'],
      companyId: SANDBOX.companyId,
    });
    expect(offline.statusCode, offline.body).toBe(200);
    expect((await api('DELETE', `/api/v0/webhook-data/${offline.json().payload.webhookId as string}`)).statusCode).toBe(200);

    const list = (await api('GET', '/api/v0/webhook-data')).json().payload as { webhookUrl: string }[];
    expect(list.map((c) => c.webhookUrl)).toEqual([`${rx.url}/config`]);
  });

  it('delivers with the static headers and Standard Webhooks signatures that verify with standardwebhooks', async () => {
    const config = await createConfig('/ok', { headers: { 'x-api-key': 'static-key', 'X-Partner': 'acme' } });
    const eventId = await sendTest(config.webhookId);
    expect(eventId).toMatch(/^evt_[0-9A-Z]{26}$/);
    const [request] = await waitAt('/ok', 1);
    expect(request!.headers).toMatchObject({
      'x-api-key': 'static-key',
      'x-partner': 'acme',
      'content-type': 'application/json',
      'webhook-id': eventId,
      'x-tijori-event-type': 'WEBHOOK_TEST',
    });
    expect(request!.headers['user-agent']).toMatch(/^Tijori-Webhooks\/\d+\.\d+\.\d+$/);
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(new Webhook(config.secret).verify(request!.body, headersOf(request!))).toMatchObject({ event: 'WEBHOOK_TEST', webhookId: config.webhookId });
    expect(() => new Webhook(config.secret).verify(`${request!.body} `, headersOf(request!))).toThrow();

    const detail = await waitStatus(eventId, 'SUCCEEDED');
    expect(detail.deliveries).toHaveLength(1);
    expect(detail.deliveries[0]).toMatchObject({ webhookId: config.webhookId, attemptCount: 1, lastResponseStatus: 200, nextAttemptAt: null });
    const [attempt] = detail.deliveries[0].attempts;
    expect(attempt).toMatchObject({ attemptNumber: 1, outcome: 'SUCCEEDED', responseStatus: 200, responseBody: 'ok', requestBody: request!.body, error: null });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    // The static headers are credentials of the receiver: the log masks them.
    expect(attempt.requestHeaders).toMatchObject({ 'x-api-key': '[redacted]', 'webhook-id': eventId });
  });

  it('retries a failing then hanging receiver on the sandbox clock, with the same id and body, until it recovers (WH-5)', async () => {
    const config = await createConfig('/flaky');
    modes.set('/flaky', { status: 500, body: 'boom' });
    const eventId = await sendTest(config.webhookId);
    await waitAt('/flaky', 1);
    let detail = await waitStatus(eventId, 'PENDING');
    const firstAt = new Date(detail.deliveries[0].attempts[0].attemptedAt).getTime();
    const next = new Date(detail.deliveries[0].nextAttemptAt).getTime();
    expect(next - firstAt).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0]! * 0.9);
    expect(next - firstAt).toBeLessThanOrEqual(RETRY_DELAYS_MS[0]! * 1.1);
    expect(detail.deliveries[0].attempts[0]).toMatchObject({ outcome: 'FAILED', responseStatus: 500, responseBody: 'boom', error: 'HTTP 500' });

    // No real time makes it retry early: only the sandbox clock does.
    await new Promise((r) => setTimeout(r, 700));
    expect(at('/flaky')).toHaveLength(1);

    modes.set('/flaky', 'hang');
    await advance(6);
    expect(at('/flaky')).toHaveLength(2);
    detail = await event(eventId);
    expect(detail.deliveries[0].attempts[1]).toMatchObject({ attemptNumber: 2, outcome: 'FAILED', responseStatus: null, error: 'timed out after 1500 ms' });

    modes.set('/flaky', { status: 204 });
    await advance(331);
    const requests = at('/flaky');
    expect(requests).toHaveLength(3);
    detail = await event(eventId);
    expect(detail.deliveries[0]).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3, lastResponseStatus: 204 });
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([eventId]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const r of requests) expect(() => new Webhook(config.secret).verify(r.body, headersOf(r))).not.toThrow();
  });

  it('gives up after the ~3-day schedule: FAILED, visible, and the configuration stays enabled', async () => {
    const config = await createConfig('/down');
    modes.set('/down', { status: 503, body: 'down' });
    const eventId = await sendTest(config.webhookId);
    await waitStatus(eventId, 'PENDING');
    await advance(4 * 24 * 3600);
    const detail = await event(eventId);
    expect(detail.deliveries[0]).toMatchObject({ status: 'FAILED', attemptCount: 10, nextAttemptAt: null, lastResponseStatus: 503 });
    const times = detail.deliveries[0].attempts.map((a: { attemptedAt: string }) => new Date(a.attemptedAt).getTime());
    expect(times).toHaveLength(10);
    RETRY_DELAYS_MS.forEach((base, i) => {
      const gap = times[i + 1]! - times[i]!;
      expect(gap, `gap before attempt ${i + 2}`).toBeGreaterThanOrEqual(base * 0.9);
      expect(gap, `gap before attempt ${i + 2}`).toBeLessThanOrEqual(base * 1.1);
    });
    expect(at('/down', eventId)).toHaveLength(10);
    const configs = (await api('GET', `/api/v0/webhook-data/${config.webhookId}`)).json().payload;
    expect(configs).toMatchObject({ enabled: true, disabledReason: null });
    expect(t.logs.lines.some((l) => l.includes('retry schedule exhausted') && l.includes(eventId))).toBe(true);
  });

  it('honours Retry-After on 429 and treats a redirect as a failure without following it', async () => {
    const config = await createConfig('/throttled');
    modes.set('/throttled', { status: 429, headers: { 'retry-after': '600' } });
    const eventId = await sendTest(config.webhookId);
    const detail = await waitStatus(eventId, 'PENDING');
    const gap = new Date(detail.deliveries[0].nextAttemptAt).getTime() - new Date(detail.deliveries[0].attempts[0].attemptedAt).getTime();
    expect(gap).toBe(600_000);

    const moved = await createConfig('/moved');
    modes.set('/moved', { status: 302, headers: { location: `${rx.url}/elsewhere` } });
    const movedEvent = await sendTest(moved.webhookId);
    const movedDetail = await waitStatus(movedEvent, 'PENDING');
    expect(movedDetail.deliveries[0].attempts[0]).toMatchObject({ outcome: 'FAILED', responseStatus: 302 });
    expect(at('/elsewhere')).toHaveLength(0);
  });

  it('replays one event and a time range with the same webhook-id and body', async () => {
    const config = await createConfig('/replay');
    const eventId = await sendTest(config.webhookId);
    const [original] = await waitAt('/replay', 1, eventId);
    await waitStatus(eventId, 'SUCCEEDED');

    const res = await api('POST', `/api/v0/events/${eventId}/replay`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payload.deliveryIds).toHaveLength(1);
    const [, replayed] = await waitAt('/replay', 2, eventId);
    expect(replayed!.headers['webhook-id']).toBe(eventId);
    expect(replayed!.body).toBe(original!.body);
    expect(() => new Webhook(config.secret).verify(replayed!.body, headersOf(replayed!))).not.toThrow();
    const detail = await waitAll(eventId, 2, 'SUCCEEDED');
    expect(detail.deliveries.map((d: { trigger: string }) => d.trigger).sort()).toEqual(['PUBLISH', 'REPLAY']);

    const created = new Date(detail.createdOn).getTime();
    const range = await api('POST', '/api/v0/events/replay', {
      from: new Date(created).toISOString(),
      to: new Date(created + 1).toISOString(),
      type: 'WEBHOOK_TEST',
    });
    expect(range.statusCode, range.body).toBe(200);
    expect(range.json().payload.events.map((e: { eventId: string }) => e.eventId)).toContain(eventId);
    await waitAt('/replay', 3, eventId);

    const tooLong = await api('POST', '/api/v0/events/replay', { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['x-error-code']).toBe('invalid_replay_range');
    const backwards = await api('POST', '/api/v0/events/replay', { from: '2026-03-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(backwards.headers['x-error-code']).toBe('invalid_replay_range');
    const missing = await api('POST', '/api/v0/events/evt_00000000000000000000000000/replay');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-error-code']).toBe('event_not_found');
  });

  it('lists events newest first, filtered by type and time, paginated', async () => {
    const res = await api('GET', '/api/v0/events?type=WEBHOOK_TEST&limit=2&offset=0');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json().payload;
    expect(page).toMatchObject({ size: 2, number: 0, offset: 0 });
    expect(page.content).toHaveLength(2);
    expect(page.totalElements).toBeGreaterThanOrEqual(6);
    expect(page.content[0].createdOn >= page.content[1].createdOn).toBe(true);
    const none = (await api('GET', '/api/v0/events?from=2030-01-01T00:00:00Z')).json().payload;
    expect(none).toMatchObject({ content: [], totalElements: 0 });
  });

  it('rotates the secret: both signatures during the overlap, each verifying alone; only the new one after (WH-7)', async () => {
    const config = await createConfig('/rotate');
    const rotated = await api('POST', `/api/v0/webhook-data/${config.webhookId}/rotate-secret`, { overlapSeconds: 3600 });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = rotated.json().payload;
    expect(newSecret).not.toBe(config.secret);
    expect(previousSecretExpiresAt).not.toBeNull();

    const during = await sendTest(config.webhookId);
    const [r1] = await waitAt('/rotate', 1, during);
    expect(String(r1!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(newSecret).verify(r1!.body, headersOf(r1!))).not.toThrow();
    expect(() => new Webhook(config.secret).verify(r1!.body, headersOf(r1!))).not.toThrow();
    const [newSig, oldSig] = String(r1!.headers['webhook-signature']).split(' ');
    expect(() => new Webhook(newSecret).verify(r1!.body, { ...headersOf(r1!), 'webhook-signature': newSig! })).not.toThrow();
    expect(() => new Webhook(config.secret).verify(r1!.body, { ...headersOf(r1!), 'webhook-signature': oldSig! })).not.toThrow();

    await advance(3601);
    const after = await sendTest(config.webhookId);
    const [r2] = await waitAt('/rotate', 1, after);
    expect(String(r2!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(newSecret).verify(r2!.body, headersOf(r2!))).not.toThrow();
    expect(() => new Webhook(config.secret).verify(r2!.body, headersOf(r2!))).toThrow();
    expect((await api('GET', `/api/v0/webhook-data/${config.webhookId}`)).json().payload.previousSecretExpiresAt).toBeNull();
  });

  it("publishes in the caller's transaction: subscribed and enabled configurations only, plus the notifyUrl; nothing on rollback", async () => {
    const subscribed = await createConfig('/sub-a', { events: ['WEBHOOK_ENDPOINT_DISABLED'] });
    const disabled = await createConfig('/sub-b', { events: ['WEBHOOK_ENDPOINT_DISABLED'] });
    const other = await createConfig('/sub-c', { events: ['WEBHOOK_TEST'] });
    expect((await api('POST', `/api/v0/webhook-data/${disabled.webhookId}/disable`)).json().payload).toMatchObject({
      enabled: false,
      disabledReason: 'Disabled by the company',
    });
    const payload = {
      event: 'WEBHOOK_ENDPOINT_DISABLED',
      webhookId: other.webhookId,
      webhookUrl: other.webhookUrl,
      reason: 'test',
      disabledOn: new Date().toISOString(),
    };

    await expect(
      withTransaction(t.database.db, async (tx) => {
        await t.services.events.publish(tx, SANDBOX.companyId, { type: 'WEBHOOK_ENDPOINT_DISABLED', payload: { ...payload, reason: 'rolled back' } });
        throw new Error('business failure after publish');
      }),
    ).rejects.toThrow('business failure');
    const rolledBack = await queryRows<{ n: string | number }>(t.database, sql`select count(*) as n from events where body like '%rolled back%'`);
    expect(Number(rolledBack[0]!.n)).toBe(0);

    const { eventId } = await withTransaction(t.database.db, (tx) =>
      t.services.events.publish(tx, SANDBOX.companyId, { type: 'WEBHOOK_ENDPOINT_DISABLED', payload, notifyUrl: `${rx.url}/notify` }),
    );
    t.services.events.wake();
    const [toSubscribed] = await waitAt('/sub-a', 1, eventId);
    expect(() => new Webhook(subscribed.secret).verify(toSubscribed!.body, headersOf(toSubscribed!))).not.toThrow();
    const [notified] = await waitAt('/notify', 1, eventId);
    const detail = await waitAll(eventId, 3, 'SUCCEEDED');
    // /config subscribed to this type in the first test; /sub-b is disabled, /sub-c subscribes to another type.
    expect(detail.deliveries.map((d: { url: string }) => d.url).sort()).toEqual([`${rx.url}/config`, `${rx.url}/notify`, `${rx.url}/sub-a`]);
    expect(detail.deliveries.map((d: { status: string }) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(detail.deliveries.find((d: { url: string }) => d.url.endsWith('/notify')).webhookId).toBeNull();
    expect(at('/sub-b', eventId)).toHaveLength(0);
    expect(at('/sub-c', eventId)).toHaveLength(0);
    // notifyUrl deliveries are signed with the company's notify secret.
    const notifySecret = (await api('GET', '/api/v0/webhook-data/notify-secret')).json().payload.secret as string;
    expect(() => new Webhook(notifySecret).verify(notified!.body, headersOf(notified!))).not.toThrow();

    await expect(
      withTransaction(t.database.db, (tx) => t.services.events.publish(tx, SANDBOX.companyId, { type: 'WEBHOOK_TEST', payload: { event: 'WEBHOOK_TEST' } })),
    ).rejects.toThrow(/does not match the catalogue/);

    // Rotation without a body takes the default overlap (24 h).
    const rotated = await api('POST', '/api/v0/webhook-data/notify-secret/rotate');
    expect(rotated.statusCode, rotated.body).toBe(200);
    const now = await t.services.clocks.now(SANDBOX.companyId);
    expect(new Date(rotated.json().payload.previousSecretExpiresAt).getTime() - now.getTime()).toBe(24 * 3600 * 1000);
    expect((await api('GET', '/api/v0/webhook-data/notify-secret')).json().payload.secret).toBe(rotated.json().payload.secret);
    expect(rotated.json().payload.secret).not.toBe(notifySecret);
  });

  it('a disabled or deleted configuration receives nothing, not even a delivery already queued', async () => {
    const config = await createConfig('/off');
    modes.set('/off', { status: 500 });
    const eventId = await sendTest(config.webhookId);
    await waitStatus(eventId, 'PENDING');
    await api('POST', `/api/v0/webhook-data/${config.webhookId}/disable`);
    await advance(10);
    const detail = await event(eventId);
    expect(detail.deliveries[0]).toMatchObject({ status: 'FAILED', attemptCount: 1, lastError: 'webhook configuration disabled: Disabled by the company' });
    expect(detail.deliveries[0].attempts).toHaveLength(1);
    expect(at('/off', eventId)).toHaveLength(1);

    const refused = await api('POST', '/api/v0/webhook-data/test', { webhookId: config.webhookId });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().response_message).toContain('disabled');
    expect((await api('DELETE', `/api/v0/webhook-data/${config.webhookId}`)).statusCode).toBe(200);
    expect((await api('GET', `/api/v0/webhook-data/${config.webhookId}`)).headers['x-error-code']).toBe('webhook_config_not_found');
  });

  it('a 410 Gone disables the configuration visibly: reason, event to the other configurations, log line; no further attempts', async () => {
    const watcher = await createConfig('/watcher', { events: ['WEBHOOK_ENDPOINT_DISABLED'] });
    const gone = await createConfig('/gone');
    modes.set('/gone', { status: 410 });
    const eventId = await sendTest(gone.webhookId);
    await waitStatus(eventId, 'FAILED');
    const config = (await api('GET', `/api/v0/webhook-data/${gone.webhookId}`)).json().payload;
    expect(config.enabled).toBe(false);
    expect(config.disabledReason).toContain(`410 Gone to event ${eventId}`);
    const [notice] = await waitAt('/watcher', 1);
    expect(JSON.parse(notice!.body)).toMatchObject({ event: 'WEBHOOK_ENDPOINT_DISABLED', webhookId: gone.webhookId });
    expect(() => new Webhook(watcher.secret).verify(notice!.body, headersOf(notice!))).not.toThrow();
    expect(t.logs.lines.some((l) => l.includes('disabled after 410 Gone') && l.includes(gone.webhookId))).toBe(true);
    await advance(3600);
    expect(at('/gone')).toHaveLength(1);
  });
});
