import { SANDBOX } from '../../src/auth/seed.js';
import { formatRupees, parseRupees } from '../../src/core/money/index.js';
import { FRICTIONLESS_CARD } from '../../bench/gateway/flow.js';
import { sleep, type CrashServer } from './server.js';

/** One 2xx a client received: what the server promised exists. */
export interface Ack {
  /** The Idempotency-Key the request (and every retry of it) carried. */
  key: string;
  /** The id the answer named: the EnKash order id, the payment's or the refund's transactionId. */
  id: string;
  amountPaise: bigint;
  status: string;
  /** For a payment its order, for a refund its payment. */
  parentId: string;
  /** The answer was a replay of a stored one (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** The client log (PAY-8): every 2xx, recorded before the next request, and every definitive refusal. */
export interface ClientLog {
  orders: Ack[];
  payments: Ack[];
  refunds: Ack[];
  /** Answers that were neither a 2xx nor retryable: a correct client would give up here. */
  refused: Array<{ path: string; key: string; status: number; code: string | null; body: string }>;
  requests: number;
  retries: number;
}

export function emptyLog(): ClientLog {
  return { orders: [], payments: [], refunds: [], refused: [], requests: 0, retries: 0 };
}

type Answer = { status: number; payload: Record<string, unknown>; replayed: boolean } | { status: number; refused: true };

/**
 * A merchant's integration as a careful client writes it: every POST carries an Idempotency-Key and
 * is retried with the same key and the same body on a connection error, a 5xx, or a 409
 * `idempotency_request_in_progress` (the killed process still holds the key's lease), until it
 * gets a 2xx or a definitive 4xx. A 401 fetches a new merchant token (itself retried) and retries.
 */
class MerchantClient {
  private bearer: string | undefined;

  constructor(
    private readonly server: CrashServer,
    private readonly log: ClientLog,
  ) {}

  private async token(): Promise<string> {
    for (;;) {
      try {
        const url = await this.server.url();
        const res = await fetch(`${url}/api/v0/merchant/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ accessKey: SANDBOX.merchantAccessKey, secretKey: SANDBOX.merchantSecretKey }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await res.json()) as { token?: string };
        if (res.status === 200 && body.token) return body.token;
      } catch {
        // The server died under the request: ask the next one.
      }
      this.log.retries++;
      await sleep(100);
    }
  }

  async post(path: string, body: object, key: string, headers: Record<string, string> = {}): Promise<Answer> {
    const text = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.log.retries++;
      this.bearer ??= await this.token();
      let status: number;
      let raw: string;
      let code: string | null;
      let replayed: boolean;
      let retryAfterMs: number;
      try {
        const url = await this.server.url();
        this.log.requests++;
        const res = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.bearer}`,
            merchantaccesskey: SANDBOX.merchantAccessKey,
            'content-type': 'application/json',
            'idempotency-key': key,
            ...headers,
          },
          body: text,
          signal: AbortSignal.timeout(30_000),
        });
        raw = await res.text();
        status = res.status;
        code = res.headers.get('x-error-code');
        replayed = res.headers.get('idempotent-replayed') === 'true';
        retryAfterMs = Number(res.headers.get('retry-after') ?? '0.1') * 1000;
      } catch {
        // Connection refused or reset, or the answer cut off: the request may or may not have run.
        await sleep(100);
        continue;
      }
      if (status >= 200 && status < 300) {
        const payload = (JSON.parse(raw) as { payload: Record<string, unknown> }).payload;
        return { status, payload, replayed };
      }
      if (status === 401) {
        this.bearer = undefined;
        continue;
      }
      if (status >= 500 || (status === 409 && code === 'idempotency_request_in_progress')) {
        await sleep(Math.min(retryAfterMs, 1000));
        continue;
      }
      this.log.refused.push({ path, key, status, code, body: raw.slice(0, 500) });
      return { status, refused: true };
    }
  }
}

export interface LoadOptions {
  server: CrashServer;
  log: ClientLog;
  /** Distinguishes this run's merchant ids and keys from any other run's on the same database. */
  tag: string;
  clients: number;
  /** Start no new flow after this (performance.now() time); a flow under way is finished. */
  until: () => boolean;
  /** Refund part of every n-th payment. */
  refundEvery: number;
}

/**
 * Runs `clients` loops of: create an order → pay it with the frictionless test card → for every
 * `refundEvery`-th payment, refund part of it (completing 2 s later on a sandbox timer, so the
 * timers are crashed too). Each step is one idempotent POST, retried until answered.
 */
export async function runClients(options: LoadOptions): Promise<void> {
  const { server, log, tag } = options;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, c) => {
      const client = new MerchantClient(server, log);
      for (let i = 0; !options.until(); i++) {
        const n = c * 1_000_000 + i;
        const ref = `${tag}-${c}-${i}`;
        const amountPaise = BigInt(10_000 + ((n * 7919) % 90_000));
        const order = await client.post(
          '/api/v0/orders',
          { orderId: ref, amount: { value: formatRupees(amountPaise), currency: 'INR' }, description: 'crash test' },
          `order-${ref}`,
        );
        if (!('payload' in order)) continue;
        const orderId = String(order.payload['orderId']);
        log.orders.push({
          key: `order-${ref}`,
          id: orderId,
          amountPaise,
          status: String(order.payload['orderStatus']),
          parentId: ref,
          replayed: order.replayed,
        });

        const pay = await client.post('/api/v0/payment/submit', { orderId, paymentMode: 'CREDIT_CARD', ...FRICTIONLESS_CARD }, `pay-${ref}`);
        if (!('payload' in pay)) continue;
        const paymentId = String(pay.payload['transactionId']);
        log.payments.push({
          key: `pay-${ref}`,
          id: paymentId,
          amountPaise: parseRupees(pay.payload['amount'] as number),
          status: String(pay.payload['transactionStatus']),
          parentId: orderId,
          replayed: pay.replayed,
        });
        if (i % options.refundEvery !== 0 || pay.payload['transactionStatus'] !== 'SUCCESS') continue;

        const refundPaise = amountPaise / 2n;
        const refund = await client.post(
          `/api/v0/payment/${encodeURIComponent(paymentId)}/refund`,
          { amount: formatRupees(refundPaise), requestId: `rf-${ref}`, remarks: 'crash test' },
          `refund-${ref}`,
          { 'x-tijori-scenario': 'succeed_after:PT2S' },
        );
        if (!('payload' in refund)) continue;
        log.refunds.push({
          key: `refund-${ref}`,
          id: String(refund.payload['transactionId']),
          amountPaise: parseRupees(refund.payload['amount'] as number),
          status: String(refund.payload['status']),
          parentId: paymentId,
          replayed: refund.replayed,
        });
      }
    }),
  );
}
