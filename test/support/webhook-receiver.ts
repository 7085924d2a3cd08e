import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as received (signatures are over these bytes). */
  body: string;
}

/** What the receiver answers next: a status (with headers and body), or no answer at all (a hang). */
export type ReceiverBehaviour = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1 (port 0) for webhook tests: records every request with its
 * raw body and answers as told; it can fail, hang past the delivery timeout, and recover.
 */
export async function startReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  behave(next: ReceiverBehaviour | ((request: ReceivedWebhook) => ReceiverBehaviour)): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  let behaviour: ReceiverBehaviour | ((request: ReceivedWebhook) => ReceiverBehaviour) = { status: 200, body: 'ok' };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const next = typeof behaviour === 'function' ? behaviour(request) : behaviour;
      if (next === 'hang') {
        hanging.add(res);
        return;
      }
      const answer = () => res.writeHead(next.status, next.headers ?? {}).end(next.body ?? '');
      if (next.delayMs) setTimeout(answer, next.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    behave(next) {
      behaviour = next;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} requests, expected ${count}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
