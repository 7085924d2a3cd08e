/** Settings from the environment, goals and the hand-run probe flow of the gateway benchmark. */
import { SANDBOX } from '../../src/auth/seed.js';
import { envNumber, loadSettingsFromEnv } from '../lib/env.js';
import { getJson } from '../lib/http.js';
import { orderBody, submitBody } from './flow.js';

export type Store = 'postgres' | 'pglite';

/** Balance rows of the pgbench schema; the reference run spreads its updates over all of them. */
export const REFERENCE_BALANCE_ROWS = 1000;
export const FLOW_GOAL = 0.25;
export const FLOW_P99_GOAL_MS = 50;
export const STATUS_GOAL = 0.2;

function storesFromEnv(): Store[] {
  const raw = process.env['BENCH_GATEWAY_STORE'] || 'both';
  if (raw === 'postgres' || raw === 'pglite') return [raw];
  if (raw === 'both') return ['postgres', 'pglite'];
  throw new Error(`BENCH_GATEWAY_STORE must be postgres, pglite or both (got "${raw}")`);
}

export function settingsFromEnv() {
  const settings = loadSettingsFromEnv('BENCH_GATEWAY_CONNECTIONS');
  return {
    ...settings,
    balanceRows: Math.min(REFERENCE_BALANCE_ROWS, Math.floor(envNumber('BENCH_GATEWAY_BALANCE_ROWS', 1, 1))),
    stores: storesFromEnv(),
    cpuProfileDir: process.env['BENCH_TIJORI_CPU_PROFILE_DIR'] || undefined,
  };
}

/** The merchant token of the seeded sandbox keys (reference §1.2(a)) and the headers every gateway call carries. */
export async function merchantHeaders(origin: string): Promise<Record<string, string>> {
  const answer = await getJson(`${origin}/api/v0/merchant/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKey: SANDBOX.merchantAccessKey, secretKey: SANDBOX.merchantSecretKey }),
  });
  if (answer.status !== 200 || typeof answer.body['token'] !== 'string') throw new Error(`merchant token: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { authorization: `Bearer ${answer.body['token']}`, merchantaccesskey: SANDBOX.merchantAccessKey };
}

/** One flow by hand: every step must answer 200 and the payment be SUCCESS. Returns the status answer. */
export async function probeFlow(origin: string, headers: Record<string, string>, merchantOrderId: string): Promise<Record<string, unknown>> {
  const json = { ...headers, 'content-type': 'application/json' };
  const order = await getJson(`${origin}/api/v0/orders`, { method: 'POST', headers: json, body: orderBody(merchantOrderId, 0) });
  const orderId = (order.body['payload'] as { orderId?: unknown } | undefined)?.orderId;
  if (order.status !== 200 || typeof orderId !== 'string') throw new Error(`create order: ${order.status} ${JSON.stringify(order.body)}`);
  const submit = await getJson(`${origin}/api/v0/payment/submit`, { method: 'POST', headers: json, body: submitBody(orderId) });
  const paid = submit.body['payload'] as { transactionId?: unknown; transactionStatus?: unknown } | undefined;
  if (submit.status !== 200 || paid?.transactionStatus !== 'SUCCESS' || typeof paid.transactionId !== 'string') {
    throw new Error(`submit card payment: expected 200 SUCCESS, got ${submit.status} ${JSON.stringify(submit.body)}`);
  }
  const status = await getJson(`${origin}/api/v0/payment/${paid.transactionId}`, { headers });
  if (status.status !== 200) throw new Error(`payment status: ${status.status} ${JSON.stringify(status.body)}`);
  return status.body;
}
