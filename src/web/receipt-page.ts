import { formatInr } from '../core/money/index.js';
import type { PaymentResult } from '../products/gateway/index.js';
import { amountDue, isOpen, type PaymentLink } from '../products/gateway/links/index.js';
import { SANDBOX_RIBBON } from './checkout-page.js';
import { html, page } from './html.js';
import { linkStatusLabel } from './statuses.js';

/** The payment method as a customer names it. */
const MODE_LABELS: Record<string, string> = {
  CREDIT_CARD: 'Credit card',
  DEBIT_CARD: 'Debit card',
  PREPAID_CARD: 'Prepaid card',
  CORPORATE_CARD: 'Corporate card',
  UPI: 'UPI',
  NET_BANKING: 'Netbanking',
  WALLET: 'Wallet',
  PAY_LATER: 'Pay later',
};

const OUTCOMES = {
  SUCCESS: { title: 'Payment successful', tone: 'ok', icon: '✓' },
  FAILED: { title: 'Payment failed', tone: 'bad', icon: '✕' },
  CANCELLED: { title: 'Payment cancelled', tone: 'bad', icon: '✕' },
} as const;

/** `8 Jan 2026, 5:30:00 pm IST`: the company's sandbox time, as an Indian customer reads it. */
const IST = new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'medium' });

/** What the method line says: the mode, then the card, UPI ID, QR code or bank. */
export function methodOf(payment: PaymentResult['payment']): string {
  if (payment.paymentMode === null) return 'Not chosen';
  const mode = MODE_LABELS[payment.paymentMode] ?? payment.paymentMode;
  const card = payment.cardLast4 ? `${payment.cardScheme ?? 'Card'} ending ${payment.cardLast4}` : null;
  const upi = payment.upiFlow === 'INTENT' ? (payment.vpa ?? 'QR code or UPI app') : payment.vpa;
  const detail = card ?? (payment.paymentMode === 'UPI' ? upi : payment.bankName);
  return detail ? `${mode} · ${detail}` : mode;
}

export interface ReceiptInput {
  result: PaymentResult;
  merchantName: string;
  /** The payment link the order pays, if any: the receipt says what is still due. */
  link?: PaymentLink | undefined;
}

/**
 * The last page of a checkout without a `returnUrl` (a payment link's, or an order made without
 * one): a receipt of the attempt, success or not. For a payment link it also says what is still
 * due, with the way back to pay it.
 */
export function renderReceipt({ result, merchantName, link }: ReceiptInput): string {
  const { payment, order } = result;
  const outcome = OUTCOMES[payment.status === 'SUCCESS' || payment.capturedAt !== null ? 'SUCCESS' : payment.status === 'CANCELLED' ? 'CANCELLED' : 'FAILED'];
  const paid = outcome === OUTCOMES.SUCCESS;
  const at = payment.capturedAt ?? payment.updatedAt;
  const due = link ? amountDue(link) : null;
  const reference = payment.bankTransactionId ?? payment.lateSuccessReference;
  const body = html`<main class="shell narrow" id="main"><article class="panel receipt" aria-labelledby="receipt-title">
<header class="receipt-head ${outcome.tone}"><span class="receipt-icon" aria-hidden="true">${outcome.icon}</span>
<div><h1 id="receipt-title">${outcome.title}</h1><p class="muted" id="receipt-message">${payment.txnMsg}</p></div></header>
<p class="total" id="receipt-amount">${formatInr(payment.finalAmountPaise)}</p>
<dl class="receipt-lines">
<dt>${paid ? 'Paid to' : 'Merchant'}</dt><dd id="receipt-merchant">${merchantName}</dd>
<dt>Amount</dt><dd>${formatInr(payment.finalAmountPaise)}${payment.finalAmountPaise !== payment.amountPaise ? html` <span class="hint">(${formatInr(payment.amountPaise)} + fees)</span>` : null}</dd>
<dt>Method</dt><dd id="receipt-method">${methodOf(payment)}</dd>
<dt>Reference</dt><dd class="mono" id="receipt-reference">${payment.id}</dd>
${reference ? html`<dt>Bank reference</dt><dd class="mono" id="receipt-bank-reference">${reference}</dd>` : null}
<dt>Order</dt><dd class="mono">${order.merchantOrderId}</dd>
<dt>Time</dt><dd id="receipt-time"><time datetime="${at.toISOString()}">${IST.format(at)} IST</time></dd>
${
  link && due !== null
    ? html`<dt>Payment link</dt><dd>${link.referenceId ?? link.id} · ${linkStatusLabel(link.status)}</dd>
<dt>Still due</dt><dd id="receipt-amount-due"><strong>${formatInr(due)}</strong></dd>`
    : null
}
</dl>
${
  link && due !== null && due > 0n && isOpen(link.status)
    ? html`<div class="actions"><a class="button" href="/pay/link/${link.id}">Pay the remaining ${formatInr(due)}</a></div>`
    : null
}
<p class="hint">${paid ? 'Keep the reference for any question to the merchant. ' : ''}You can close this window. Tijori sandbox: no money moved.</p>
</article></main>`;
  return page({ title: `${outcome.title} · ${merchantName}`, body, banner: SANDBOX_RIBBON });
}
