import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { sign } from '../../src/core/events/signing.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { seedBearer } from '../support/oauth.js';

/** The receiver of docs/webhooks.md, exactly as printed there. */
function documentedReceiver(): string {
  const doc = fs.readFileSync('docs/webhooks.md', 'utf8');
  const block = /<!-- receiver:start -->\s*```js\n([\s\S]*?)```\s*<!-- receiver:end -->/.exec(doc);
  if (!block) throw new Error('docs/webhooks.md has no receiver block');
  return block[1]!;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A raw POST, for requests Tijori would never send (tampered, stale). */
function post(port: number, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe(`the receiver documented in docs/webhooks.md (${backend})`, () => {
  let t: TestApp;
  let child: ChildProcessWithoutNullStreams;
  let port: number;
  let secret: string;
  let webhookId: string;
  let bearer: string;
  const lines: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-receiver-'));

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: bearer, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const waitLine = async (text: string) => {
    const until = Date.now() + 15_000;
    while (!lines.some((l) => l.includes(text))) {
      if (Date.now() > until) throw new Error(`the receiver never printed "${text}"; it printed ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ webhooks: { timeoutMs: 2000 } });
    t.clock.set(new Date());
    bearer = await seedBearer(t.app);
    port = await freePort();
    const created = await api('POST', '/api/v0/webhook-data', {
      webhookUrl: `http://127.0.0.1:${port}/`,
      events: ['WEBHOOK_TEST'],
      companyId: SANDBOX.companyId,
    });
    ({ secret, webhookId } = created.json().payload);
    const file = path.join(dir, 'receiver.mjs');
    fs.writeFileSync(file, documentedReceiver());
    child = spawn(process.execPath, [file], { env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) } });
    child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    child.stderr.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    await waitLine(`listening on ${port}`);
  });
  afterAll(async () => {
    child?.kill();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a real delivery, and processes a replay of the same webhook-id once', async () => {
    const test = await api('POST', '/api/v0/webhook-data/test', { webhookId });
    const eventId = test.json().payload.eventId as string;
    await waitLine(`processed ${eventId} WEBHOOK_TEST`);
    await api('POST', `/api/v0/events/${eventId}/replay`);
    await waitLine(`duplicate ${eventId}`);
    const until = Date.now() + 15_000;
    let statuses: string[] = [];
    while (Date.now() < until) {
      statuses = (await api('GET', `/api/v0/events/${eventId}`)).json().payload.deliveries.map((d: { status: string }) => d.status);
      if (statuses.length === 2 && statuses.every((s) => s === 'SUCCEEDED')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(statuses).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(lines.filter((l) => l.startsWith(`processed ${eventId}`))).toHaveLength(1);
  });

  it('keeps accepting deliveries with the old secret during a rotation overlap', async () => {
    const rotated = await api('POST', `/api/v0/webhook-data/${webhookId}/rotate-secret`, { overlapSeconds: 600 });
    expect(rotated.statusCode).toBe(200);
    const test = await api('POST', '/api/v0/webhook-data/test', { webhookId });
    await waitLine(`processed ${test.json().payload.eventId as string}`);
  });

  it('rejects a tampered body, a wrong signature and timestamps outside ±5 minutes (WH-2)', async () => {
    const body = JSON.stringify({ event: 'WEBHOOK_TEST', webhookId, message: 'hand-made', createdOn: new Date().toISOString() });
    const now = Math.floor(Date.now() / 1000);
    const headers = (id: string, ts: number, signed = body) => ({
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, id, ts, signed),
    });
    expect(await post(port, headers('evt_HANDMADE1', now), body)).toBe(200);
    expect(await post(port, headers('evt_HANDMADE2', now), body.replace('hand-made', 'hand-mad3'))).toBe(400);
    expect(await post(port, { ...headers('evt_HANDMADE3', now), 'webhook-signature': 'v1,AAAA' }, body)).toBe(400);
    expect(await post(port, headers('evt_HANDMADE4', now - 301), body)).toBe(400);
    expect(await post(port, headers('evt_HANDMADE5', now + 301), body)).toBe(400);
    expect(await post(port, headers('evt_HANDMADE6', now - 295), body)).toBe(200);
    expect(await post(port, headers('evt_HANDMADE7', now + 295), body)).toBe(200);
    expect(await post(port, { 'webhook-id': 'evt_X', 'webhook-timestamp': String(now) }, body)).toBe(400);
  });
});
