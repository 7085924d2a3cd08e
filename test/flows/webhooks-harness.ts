import { afterAll, beforeAll, expect } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { seedBearer } from '../support/oauth.js';
import { startReceiver, type ReceivedWebhook, type ReceiverBehaviour } from '../support/webhook-receiver.js';

/**
 * The app, the receiver on 127.0.0.1 and the helpers of the webhook end-to-end files
 * (webhooks.test.ts, webhooks-workers.test.ts). Call inside a describe: it registers the set-up
 * and tear-down; `state` holds the app, receiver and bearer once set up.
 */
/** The harness's receiver on 127.0.0.1. */
export type TestReceiver = Awaited<ReturnType<typeof startReceiver>>;

export function webhookHarness() {
  const state = {} as { t: TestApp; rx: TestReceiver; bearer: string };
  const modes = new Map<string, ReceiverBehaviour>();

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, authorization = state.bearer) =>
    state.t.app.inject({
      method,
      url,
      headers: { authorization, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });

  const createConfig = async (path: string, extra: Record<string, unknown> = {}) => {
    const res = await api('POST', '/api/v0/webhook-data', {
      webhookUrl: `${state.rx.url}${path}`,
      events: ['WEBHOOK_TEST'],
      companyId: SANDBOX.companyId,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload as { webhookId: string; secret: string; webhookUrl: string; enabled: boolean };
  };
  const sendTest = async (webhookId: string) => {
    const res = await api('POST', '/api/v0/webhook-data/test', { webhookId });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().payload.eventId as string;
  };
  const event = async (eventId: string) => (await api('GET', `/api/v0/events/${eventId}`)).json().payload;
  const at = (path: string, eventId?: string): ReceivedWebhook[] =>
    state.rx.received.filter((r) => r.path === path && (eventId === undefined || r.headers['webhook-id'] === eventId));
  const waitAt = async (path: string, count: number, eventId?: string) => {
    const until = Date.now() + 15_000;
    while (at(path, eventId).length < count) {
      if (Date.now() > until) throw new Error(`${path} got ${at(path, eventId).length} requests, expected ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return at(path, eventId);
  };
  const waitStatus = async (eventId: string, status: string, index = 0) => {
    const until = Date.now() + 15_000;
    for (;;) {
      const e = await event(eventId);
      const d = e.deliveries[index];
      // PENDING is also the state before the first attempt: wait for an attempt to be recorded.
      if (d?.status === status && (status !== 'PENDING' || d.attempts.length > 0)) return e;
      if (Date.now() > until) throw new Error(`delivery ${index} of ${eventId} is ${e.deliveries[index]?.status}, expected ${status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const waitAll = async (eventId: string, count: number, status: string) => {
    const until = Date.now() + 15_000;
    for (;;) {
      const e = await event(eventId);
      if (e.deliveries.length === count && e.deliveries.every((d: { status: string }) => d.status === status)) return e;
      if (Date.now() > until) throw new Error(`deliveries of ${eventId}: ${JSON.stringify(e.deliveries.map((d: { status: string }) => d.status))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const advance = async (seconds: number) => {
    const res = await api('POST', '/api/v0/sandbox/clock/advance', { seconds });
    expect(res.statusCode, res.body).toBe(200);
  };
  const headersOf = (r: ReceivedWebhook) => ({
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });

  beforeAll(async () => {
    state.rx = await startReceiver();
    state.rx.behave((r) => modes.get(r.path) ?? { status: 200, body: 'ok' });
    state.t = await createTestApp({ webhooks: { timeoutMs: 1500 } });
    // webhook-timestamp comes from the process clock; receivers compare it with their own.
    state.t.clock.set(new Date());
    state.bearer = await seedBearer(state.t.app);
  });
  afterAll(async () => {
    await state.t.close();
    await state.rx.close();
  });
  return { state, modes, api, createConfig, sendTest, event, at, waitAt, waitStatus, waitAll, advance, headersOf };
}
