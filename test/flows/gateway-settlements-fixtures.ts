import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { withTransaction, queryRows } from '../../src/core/db/transaction.js';
import type { Services } from '../../src/app.js';
import type { Database } from '../../src/core/db/engine.js';
import { computeMdr } from '../../src/products/gateway/payments/model.js';
import { gatewayOrders } from '../../src/products/gateway/orders/tables.js';
import { gatewayPayments } from '../../src/products/gateway/payments/tables.js';
import { defaultGatewaySettings, type PaymentMode } from '../../src/products/gateway/settings/model.js';
import { toStoredSplit, type SplitShare } from '../../src/products/gateway/split/model.js';

export const SANDBOX = 'CEK1GZBO6A';

const RAIL: Record<PaymentMode, string> = {
  CREDIT_CARD: 'card',
  DEBIT_CARD: 'card',
  PREPAID_CARD: 'card',
  CORPORATE_CARD: 'card',
  NET_BANKING: 'netbanking',
  UPI: 'upi',
  WALLET: 'wallet',
  PAY_LATER: 'wallet',
};

let seq = 0;

/**
 * A payment captured as the payments area captures one (ADR 0016): the order PAID, the payment
 * SUCCESS with its MDR from the default settings, the `payment_capture` ledger transaction and
 * the settlement batch scheduled, in one transaction on the real database.
 */
export async function capturedPayment(
  services: Services,
  database: Database,
  options: { companyId?: string; amountPaise: bigint; mode: PaymentMode; notifyUrl?: string; splits?: SplitShare[] },
): Promise<{ transactionId: string; orderId: string }> {
  const companyId = options.companyId ?? SANDBOX;
  const n = ++seq;
  return withTransaction(database.db, async (tx) => {
    const now = await services.clocks.now(companyId, tx);
    const orderId = `ORD${now.getTime()}T${String(n).padStart(4, '0')}`;
    const transactionId = `TXN${now.getTime()}T${String(n).padStart(4, '0')}`;
    const { mdrPaise, mdrGstPaise } = computeMdr(defaultGatewaySettings(companyId), options.amountPaise, options.mode);
    await tx.insert(gatewayOrders).values({
      id: orderId,
      companyId,
      merchantOrderId: `M-${n}-${now.getTime()}`,
      accessKey: null,
      amountPaise: options.amountPaise,
      currency: 'INR',
      status: 'PAID',
      returnUrl: null,
      notifyUrl: options.notifyUrl ?? null,
      maxAttempts: 5,
      attemptsUsed: 1,
      paidTransactionId: transactionId,
      expiresAt: new Date(now.getTime() + 30 * 60_000),
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(gatewayPayments).values({
      id: transactionId,
      companyId,
      orderId,
      status: 'SUCCESS',
      paymentMode: options.mode,
      rail: RAIL[options.mode],
      step: 'DONE',
      amountPaise: options.amountPaise,
      finalAmountPaise: options.amountPaise,
      mdrPaise,
      mdrGstPaise,
      capturedAt: now,
      splitDetails: options.splits ? toStoredSplit(options.splits) : null,
      bankCode: options.mode === 'NET_BANKING' ? 'HDFC' : null,
      bankName: options.mode === 'NET_BANKING' ? 'HDFC Bank' : null,
      uniqueTransactionId: `EK${now.getTime()}T${String(n).padStart(6, '0')}`,
      bankTransactionId: `BANK${n}`,
      publicIdentifierKey: `key${n}`,
      resultCode: '0',
      txnMsg: 'Transaction successful',
      createdAt: now,
      updatedAt: now,
    });
    await services.ledger.post(tx, companyId, {
      code: 'payment_capture',
      referenceType: 'gateway_payment',
      referenceId: transactionId,
      postings: [
        { account: `clearing:${RAIL[options.mode]}`, direction: 'debit', amount: options.amountPaise },
        { account: 'merchant_pending_settlement', direction: 'credit', amount: options.amountPaise },
      ],
    });
    await services.gatewayMoney.settlements.scheduleForCapture(tx, companyId, now);
    return { transactionId, orderId };
  });
}

/** The posted balance of a company's ledger account by code, in paise (0 when it was never used). */
export async function balanceOf(database: Database, companyId: string, code: string): Promise<bigint> {
  const [row] = await queryRows<{ credits: string; debits: string; normal: string }>(
    database.db,
    // The balance row plus its unfolded deltas (ADR 0029).
    sql`select (b.credits_posted + coalesce((select sum(d.credits_posted) from ledger_balance_deltas d where d.account_id = a.id), 0))::text as credits,
               (b.debits_posted + coalesce((select sum(d.debits_posted) from ledger_balance_deltas d where d.account_id = a.id), 0))::text as debits,
               a.normal_balance as normal
        from ledger_accounts a join ledger_balances b on b.account_id = a.id
        where a.company_id = ${companyId} and a.code = ${code}`,
  );
  if (!row) return 0n;
  const credit = BigInt(row.credits) - BigInt(row.debits);
  return row.normal === 'credit' ? credit : -credit;
}

/** Moves the company's sandbox clock to `target`, firing everything due on the way. */
export async function advanceTo(services: Services, target: string, companyId = SANDBOX): Promise<void> {
  await services.timers.advance(companyId, new Date(target));
}

export async function inject(
  app: FastifyInstance,
  headers: Record<string, string>,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  extra: Record<string, string> = {},
) {
  const res = await app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json() as { response_code: number; response_message: string; payload: any }, headers: res.headers };
}

const INSTRUMENT: Partial<Record<PaymentMode, object>> = {
  CREDIT_CARD: { cardNumber: '4111111111111111', expiry: '12/30', cvv: '123', cardHolderName: 'Asha Rao' },
  NET_BANKING: { bankCode: 'HDFC' },
  UPI: { vpa: 'success@enkash' },
};

/** An order created and paid through the gateway API (card, netbanking or UPI collect), captured. */
export async function paidViaApi(
  t: { app: FastifyInstance; services: Services },
  headers: Record<string, string>,
  amount: number,
  mode: 'CREDIT_CARD' | 'NET_BANKING' | 'UPI',
  notifyUrl?: string,
): Promise<{ transactionId: string; orderId: string }> {
  const n = ++seq;
  const order = await inject(t.app, headers, 'POST', '/api/v0/orders', {
    orderId: `MONEY-${n}-${Date.now()}`,
    amount: { value: amount, currency: 'INR' },
    ...(notifyUrl ? { notifyUrl } : {}),
  });
  if (order.status !== 200) throw new Error(`create order: ${JSON.stringify(order.body)}`);
  const orderId = order.body.payload.orderId as string;
  const paid = await inject(t.app, headers, 'POST', '/api/v0/payment/submit', { orderId, paymentMode: mode, ...INSTRUMENT[mode] });
  if (paid.status !== 200) throw new Error(`submit: ${JSON.stringify(paid.body)}`);
  const transactionId = paid.body.payload.transactionId as string;
  if (paid.body.payload.transactionStatus !== 'SUCCESS') await t.services.timers.runDue(SANDBOX);
  const status = await inject(t.app, headers, 'GET', `/api/v0/payment/${transactionId}`);
  const transactionStatus = status.body.payload.transactionStatus ?? status.body.payload.status;
  if (transactionStatus !== 'SUCCESS') throw new Error(`payment not captured: ${JSON.stringify(status.body)}`);
  return { transactionId, orderId };
}
