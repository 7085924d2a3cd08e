import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ResolvedTarget } from './ssrf-guard.js';

/** How deliveries reach receivers; injectable so a benchmark or a test can tune it. */
export interface DeliveryHttpSettings {
  /** Whole-request deadline: connect, send, and read the answer. */
  timeoutMs: number;
  /** Response bytes kept for the log; the rest is read and dropped. */
  maxResponseBytes: number;
  userAgent: string;
}

export type SendResult =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; body: string; latencyMs: number }
  | { kind: 'error'; error: string; latencyMs: number };

/** Receivers whose connections are kept (the oldest agent is closed beyond that). */
const MAX_AGENTS = 256;
/** Idle keep-alive sockets close before Node's default server keep-alive timeout (5 s), so a reused socket is rarely one the receiver is closing. */
const IDLE_SOCKET_MS = 4000;

/**
 * Keep-alive agents, one per receiver origin and pinned address (and CA): a socket in an agent's
 * pool was connected to the address the SSRF guard checked for it, so reusing it never reaches
 * another address, whatever DNS says later. A new address (DNS changed) gets a new agent.
 */
export class AgentPool {
  private readonly agents = new Map<string, http.Agent>();
  constructor(private readonly maxSockets = 64) {}

  agentFor(target: ResolvedTarget, ca?: string): http.Agent {
    const caKey = ca ? createHash('sha256').update(ca).digest('base64url') : '';
    const key = `${target.url.protocol}//${target.url.host}@${target.address}#${caKey}`;
    let agent = this.agents.get(key);
    if (agent) return agent;
    const options = { keepAlive: true, maxSockets: this.maxSockets, maxFreeSockets: this.maxSockets, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    agent = target.url.protocol === 'https:' ? new https.Agent({ ...options, ...(ca ? { ca } : {}) }) : new http.Agent(options);
    this.agents.set(key, agent);
    if (this.agents.size > MAX_AGENTS) {
      const [oldestKey, oldest] = this.agents.entries().next().value as [string, http.Agent];
      this.agents.delete(oldestKey);
      oldest.destroy();
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/**
 * One POST to a receiver. The connection goes to `target.address` only (the custom `lookup`
 * pins it; TLS still verifies the certificate against the URL's host name). Redirects are never
 * followed (Node's http does not), so a 3xx is just a status. Never throws.
 */
export function send(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  settings: DeliveryHttpSettings,
  ca?: string,
  agents?: AgentPool,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    } else callback(null, target.address, target.family);
  };
  const isHttps = target.url.protocol === 'https:';
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const options: https.RequestOptions = {
      method: 'POST',
      hostname: target.url.hostname.replace(/^\[|\]$/g, ''),
      port: target.url.port || (isHttps ? 443 : 80),
      path: `${target.url.pathname}${target.url.search}`,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'utf8')) },
      lookup: pinned,
      // With a pool, connections are kept per receiver (keep-alive); without, one per request.
      agent: agents ? agents.agentFor(target, ca) : false,
      ...(isHttps && ca ? { ca } : {}),
    };
    const request = (isHttps ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (kept < settings.maxResponseBytes) {
          chunks.push(chunk.subarray(0, settings.maxResponseBytes - kept));
          kept += Math.min(chunk.length, settings.maxResponseBytes - kept);
        }
      });
      response.on('end', () =>
        finish({
          kind: 'response',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMs: elapsed(),
        }),
      );
      response.on('error', (err) => finish({ kind: 'error', error: `response error: ${err.message}`, latencyMs: elapsed() }));
    });
    const timer = setTimeout(() => {
      finish({ kind: 'error', error: `timed out after ${settings.timeoutMs} ms`, latencyMs: elapsed() });
      request.destroy();
    }, settings.timeoutMs);
    request.on('error', (err) =>
      finish({ kind: 'error', error: `request error: ${(err as NodeJS.ErrnoException).code ?? err.message}`, latencyMs: elapsed() }),
    );
    request.end(body);
  });
}
