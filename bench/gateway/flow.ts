/**
 * The gateway flow driven by autocannon: on each keep-alive connection, one flow after another,
 * each three chained requests (a later one uses the id the earlier answered):
 *
 *   POST /api/v0/orders          → the EnKash order id
 *   POST /api/v0/payment/submit  → CREDIT_CARD with the frictionless test card: transactionId, SUCCESS
 *   GET  /api/v0/payment/{id}    → the payment's status
 *
 * A flow counts when all three answer 200 and the payment is SUCCESS; its latency is from the
 * first request being built to the third answer.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Sample } from '../lib/stats.js';

/** The test card that authorises without OTP or 3-D Secure (sandbox test data). */
export const FRICTIONLESS_CARD = { cardNumber: '4111111111111111', expiry: '12/30', cvv: '123', cardHolderName: 'Bench Holder' } as const;

export const orderBody = (merchantOrderId: string, n: number) =>
  JSON.stringify({ orderId: merchantOrderId, amount: { value: (10_000 + (n % 90_000)) / 100, currency: 'INR' }, description: 'bench order' });
export const submitBody = (orderId: string) => JSON.stringify({ orderId, paymentMode: 'CREDIT_CARD', ...FRICTIONLESS_CARD });

function payloadOf(body: string): Record<string, unknown> | undefined {
  try {
    const payload = (JSON.parse(body) as { payload?: unknown }).payload;
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface FlowOptions {
  origin: string;
  connections: number;
  seconds: number;
  /** Authorization and merchantAccessKey. */
  headers: Record<string, string>;
  /** Prefix of the merchant order ids of this run (unique across runs). */
  tag: string;
  /** Receives the transactionId of every completed flow (the status-read run reads them back). */
  onPaid?: (transactionId: string) => void;
}

/** Runs flows for `seconds`; `statusCodes` counts each step's answers ("orders 200", "submit FAILED", ...). */
export async function runFlows(options: FlowOptions): Promise<Sample> {
  const latenciesMs: number[] = [];
  const steps: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let n = 0;
  const count = (key: string) => (steps[key] = (steps[key] ?? 0) + 1);
  const fail = (key: string) => {
    count(key);
    failed++;
  };
  const json = { ...options.headers, 'content-type': 'application/json' };

  const instance = autocannon({
    url: options.origin,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/v0/orders',
        headers: json,
        setupRequest: (req, context) => {
          const i = n++;
          context['t0'] = performance.now();
          return { ...req, body: orderBody(`${options.tag}-${i}`, i) };
        },
        onResponse: (status, body, context) => {
          const orderId = status === 200 ? payloadOf(body)?.['orderId'] : undefined;
          if (typeof orderId === 'string') {
            count('orders 200');
            context['orderId'] = orderId;
          } else fail(`orders ${status}`);
        },
      },
      {
        method: 'POST',
        path: '/api/v0/payment/submit',
        headers: json,
        // No order: the flow stops here and the connection starts the next one.
        setupRequest: (req, context) => (typeof context['orderId'] === 'string' ? { ...req, body: submitBody(context['orderId']) } : null),
        onResponse: (status, body, context) => {
          const payload = status === 200 ? payloadOf(body) : undefined;
          if (payload?.['transactionStatus'] === 'SUCCESS' && typeof payload['transactionId'] === 'string') {
            count('submit 200 SUCCESS');
            context['transactionId'] = payload['transactionId'];
          } else fail(payload ? `submit ${status} ${String(payload['transactionStatus'])}` : `submit ${status}`);
        },
      },
      {
        method: 'GET',
        path: '/api/v0/payment/-',
        headers: options.headers,
        setupRequest: (req, context) =>
          typeof context['transactionId'] === 'string' ? { ...req, path: `/api/v0/payment/${encodeURIComponent(context['transactionId'])}` } : null,
        onResponse: (status, body, context) => {
          const payload = status === 200 ? payloadOf(body) : undefined;
          if (payload && payload['transactionId'] === context['transactionId']) {
            count('status 200');
            ok++;
            latenciesMs.push(performance.now() - Number(context['t0']));
            options.onPaid?.(String(context['transactionId']));
          } else fail(`status ${status}`);
        },
      },
    ],
  });
  const result = await instance;
  return { ok, non2xx: failed, errors: result.errors, statusCodes: steps, seconds: result.duration, latenciesMs };
}
