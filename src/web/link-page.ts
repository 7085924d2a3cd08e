import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../core/errors/app-error.js';
import type { Executor } from '../core/db/engine.js';
import { formatAmountString, formatInr, parseRupees } from '../core/money/index.js';
import { amountDue, isOpen, payableRange, type LinksService, type PaymentLink } from '../products/gateway/links/index.js';
import { renderCheckoutClosed, SANDBOX_RIBBON } from './checkout-page.js';
import { html, page, PAGE_HEADERS } from './html.js';
import { linkStatusLabel } from './statuses.js';

/** The amount input's value: plain rupees a customer can edit (`1250.50`). */
const plain = (paise: bigint) => formatAmountString(paise, 'INR');

const CLOSED: Record<string, string> = {
  PAID: 'This payment link has been paid in full. You will not be charged again.',
  EXPIRED: 'This payment link has expired. Ask the merchant for a new one.',
  CANCELLED: 'This payment link has been cancelled by the merchant and takes no payment.',
};

export interface LinkPageDeps {
  links: LinksService;
  merchantName(exec: Executor | undefined, companyId: string): Promise<string>;
}

/** The public page of a payment link: what is due, and (if it takes payments) the form that opens the hosted checkout. */
export function renderLinkPage(link: PaymentLink, merchantName: string, error?: string): string {
  const range = payableRange(link);
  const partial = link.partialPayment && range.minPaise < range.maxPaise;
  const open = isOpen(link.status);
  const body = html`<main class="shell narrow" id="main"><div class="panel summary">
<div class="merchant"><span class="logo" aria-hidden="true">${merchantName.slice(0, 1).toUpperCase()}</span><strong>${merchantName}</strong></div>
<h1>Payment request</h1>
${link.description ? html`<p>${link.description}</p>` : null}
<p class="total" id="link-amount-due">${formatInr(amountDue(link))}</p>
<dl>
<dt>Amount</dt><dd id="link-amount">${formatInr(link.amountPaise)}</dd>
<dt>Paid so far</dt><dd id="link-amount-paid">${formatInr(link.amountPaidPaise)}</dd>
${link.customerName ? html`<dt>For</dt><dd>${link.customerName}</dd>` : null}
${link.dueDate ? html`<dt>Due by</dt><dd>${link.dueDate.toISOString().slice(0, 10)}</dd>` : null}
<dt>Status</dt><dd id="link-status" data-status="${link.status}">${linkStatusLabel(link.status)}</dd>
<dt>Reference</dt><dd class="mono">${link.referenceId ?? link.id}</dd>
</dl>
${
  open
    ? html`<form method="post" action="/pay/link/${link.id}" novalidate>
${
  partial
    ? html`<label for="link-pay-amount">Amount to pay (₹) <span class="hint">between ${formatInr(range.minPaise)} and ${formatInr(range.maxPaise)}</span></label>
<input id="link-pay-amount" name="amount" type="text" inputmode="decimal" autocomplete="off" value="${plain(range.maxPaise)}" required>`
    : null
}
<div class="alert error" role="alert">${error ?? ''}</div>
<div class="actions"><button type="submit" class="wide">${partial ? 'Pay now' : `Pay ${formatInr(range.maxPaise)}`}</button></div>
</form>`
    : html`<div class="alert info" role="status">${CLOSED[link.status] ?? ''}</div>`
}
</div></main>`;
  return page({ title: `Pay ${merchantName}`, body, banner: SANDBOX_RIBBON });
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(body);
}

/**
 * `GET /pay/link/{id}` shows the link; `POST /pay/link/{id}` (a form, `amount` when partial
 * payments are allowed) creates the gateway order and sends the browser to its hosted checkout.
 * No token: the link id is the capability, as an order id is for the checkout.
 */
export function registerLinkPages(app: FastifyInstance, deps: LinkPageDeps): void {
  const { links } = deps;
  const idOf = (params: unknown) => (params as { id: string }).id;
  const opts = { schema: { hide: true } };

  async function show(reply: FastifyReply, id: string, status = 200, error?: string) {
    try {
      const link = await links.forPage(id);
      return send(reply, status, renderLinkPage(link, await deps.merchantName(undefined, link.companyId), error));
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
      return send(
        reply,
        404,
        renderCheckoutClosed({ title: 'Payment link not found', message: 'There is no payment link at this address. Check the link the merchant sent you.' }),
      );
    }
  }

  app.get('/pay/link/:id', opts, async (request, reply) => show(reply, idOf(request.params)));

  app.post('/pay/link/:id', opts, async (request, reply) => {
    const id = idOf(request.params);
    const form = (request.body ?? {}) as Record<string, unknown>;
    try {
      const raw = typeof form['amount'] === 'string' && form['amount'].trim() !== '' ? form['amount'].trim() : undefined;
      const amountPaise = raw === undefined ? undefined : parseRupees(raw);
      const orderId = await links.startPayment(id, amountPaise);
      return reply.redirect(`/pay/checkout/${encodeURIComponent(orderId)}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return show(reply, id, err.status, err.message);
    }
  });
}
