import type { FastifyInstance } from 'fastify';

/** An instant given in IST (UTC+05:30): month 1–12. */
export function ist(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - 330 * 60_000);
}

/** A §2.9 Create UPI Mandate body (monthly, MAX ₹500 by default) with overrides. */
export function mandateBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    referenceId: `MREF-${Math.random().toString(36).slice(2, 12)}`,
    amount: 500,
    amountRule: 'MAX',
    currency: 'INR',
    payer: { name: 'Asha Rao', vpa: 'autopay.approve@enkash', account: '123456789012', accountValidation: false },
    mandateName: 'Streaming plan',
    expiry: ist(2026, 1, 2).toISOString(),
    blockFund: false,
    recurrence: { period: 'MONTHLY', rule: 'AFTER', value: 5 },
    validity: { startAt: ist(2026, 1, 1).toISOString(), endAt: ist(2027, 2, 1).toISOString() },
    upiReferenceUrl: 'https://merchant.example/plans/streaming',
    description: 'Monthly streaming subscription',
    ...overrides,
  };
}

export async function call(
  app: FastifyInstance,
  headers: Record<string, string>,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  extra: Record<string, string> = {},
) {
  const res = await app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, code: res.headers['x-error-code'], body: res.json() as { response_code: number; response_message: string; payload: any } };
}
