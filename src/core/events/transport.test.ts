import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget, type Resolver } from './ssrf-guard.js';
import { send } from './transport.js';

const settings = { timeoutMs: 300, maxResponseBytes: 100, userAgent: 'test' };

describe('delivery transport', () => {
  let server: http.Server;
  let port: number;
  const seen: { host: string | undefined; url: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, url: req.url, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url?.startsWith('/hang')) return;
        res.writeHead(200).end('x'.repeat(10_000));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('connects to the checked address only: a name the system cannot resolve reaches the pinned IP, Host intact', async () => {
    const resolver: Resolver = async (host) => (host === 'rebind.tijori.invalid' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const target = await resolveTarget(`http://rebind.tijori.invalid:${port}/hook?q=1`, true, resolver);
    const result = await send(target, { 'content-type': 'application/json' }, '{"a":1}', settings);
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(seen.at(-1)).toEqual({ host: `rebind.tijori.invalid:${port}`, url: '/hook?q=1', body: '{"a":1}' });
    // The kept body is capped for the log.
    expect(result.kind === 'response' && result.body.length).toBe(100);
  });

  it('gives up at the deadline, and reports a refused connection, without throwing', async () => {
    const hang = await send(await resolveTarget(`http://127.0.0.1:${port}/hang`, true), {}, '{}', settings);
    expect(hang).toMatchObject({ kind: 'error', error: 'timed out after 300 ms' });
    expect(hang.latencyMs).toBeGreaterThanOrEqual(250);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await send(await resolveTarget(`http://127.0.0.1:${closedPort}/`, true), {}, '{}', settings);
    expect(refused).toMatchObject({ kind: 'error', error: 'request error: ECONNREFUSED' });
  });
});
