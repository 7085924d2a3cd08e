import type { BankListItem, CheckoutDetail, ProviderListItem } from '../products/gateway/checkout/model.js';
import { html, jsonScript, page, type SafeHtml } from './html.js';

export const SANDBOX_RIBBON = html`<div class="sandbox-ribbon" role="note">Tijori sandbox: test payments only, no money moves. Test cards, UPI IDs and bank codes are listed on <a href="/sandbox/test-data">the test-data page</a>.</div>`;

/** `₹1,49,999.00`: Indian digit grouping, two decimals. */
const rupees = (amount: number) => `₹${amount.toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

interface ModeTab {
  mode: 'CARD' | 'UPI' | 'NET_BANKING' | 'WALLET' | 'PAY_LATER';
  label: string;
  id: string;
  panel: SafeHtml;
}

function cardPanel(d: CheckoutDetail): SafeHtml {
  return html`<form id="card-form" novalidate>
<p class="muted">We accept ${d.cardSchemesSupported.join(', ')}.</p>
<label for="card-number">Card number</label>
<input id="card-number" name="cardNumber" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required aria-describedby="card-network">
<p id="card-network" class="hint" aria-live="polite"></p>
<div class="row">
<div><label for="card-expiry">Expiry <span class="hint">(MM/YY)</span></label>
<input id="card-expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" maxlength="5" required></div>
<div><label for="card-cvv">CVV</label>
<input id="card-cvv" name="cvv" type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></div>
</div>
<label for="card-name">Name on card <span class="hint">(optional)</span></label>
<input id="card-name" name="cardHolderName" type="text" autocomplete="cc-name" maxlength="100">
<div id="card-error" class="alert error" role="alert" tabindex="-1"></div>
<div class="actions"><button type="submit" class="wide" data-pay-total>Pay ${rupees(d.amount)}</button></div>
</form>`;
}

function upiPanel(d: CheckoutDetail): SafeHtml {
  return html`<div class="upi-grid">
${
  d.upiQrCodeEnabled
    ? html`<div><div class="qr"><span id="upi-qr-placeholder" class="muted">QR code</span><img id="upi-qr-image" alt="UPI QR code for ${rupees(d.amount)}" hidden></div>
<div class="actions"><button type="button" id="upi-qr-button" class="secondary">Show QR code</button></div>
<p id="upi-qr-link" class="hint mono"></p></div>`
    : null
}
<div>
${
  d.merchantInfo.hideAppIntentLinks
    ? null
    : html`<h3>Pay with a UPI app</h3>
<div id="upi-intents" class="intents">
<button type="button" class="secondary" data-app="gpay">Google Pay</button>
<button type="button" class="secondary" data-app="phonepe">PhonePe</button>
<button type="button" class="secondary" data-app="paytm">Paytm</button>
<button type="button" class="secondary" data-app="upi">Other UPI app</button>
</div>`
}
${
  d.merchantInfo.upiVpaEnabled
    ? html`<form id="upi-collect-form" novalidate>
<label for="upi-vpa">UPI ID <span class="hint">(a payment request goes to your UPI app)</span></label>
<input id="upi-vpa" name="vpa" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="name@bank" required>
<div class="actions"><button type="submit" data-pay-total>Pay ${rupees(d.amount)}</button></div>
</form>`
    : null
}
<div id="upi-error" class="alert error" role="alert" tabindex="-1"></div>
<div id="upi-waiting" class="alert info waiting" role="status" hidden><span class="spinner" aria-hidden="true"></span><span id="upi-waiting-text"></span></div>
${sandboxPayerPanel()}
</div>
</div>`;
}

/**
 * The sandbox's stand-in for the payer's phone: a QR code or app link waits for a payer who never
 * comes in the sandbox, so the tester answers for them (`POST /pay/checkout/sandbox/upi-payer/…`).
 * Shown by the script once a QR code or app link waits; marked as the sandbox's, not the merchant's.
 */
function sandboxPayerPanel(): SafeHtml {
  return html`<section id="sandbox-payer" class="sandbox-panel" aria-labelledby="sandbox-payer-title" hidden>
<h3 id="sandbox-payer-title"><span class="sandbox-tag">Sandbox</span> Simulate the payer</h3>
<p class="hint">Nobody scans a QR code or opens a UPI app in the Tijori sandbox. Answer for the payer's UPI app; a real customer never sees this.</p>
<div class="actions"><button type="button" class="ok" data-payer-answer="PAY">Payer pays</button><button type="button" class="bad" data-payer-answer="DECLINE">Payer declines</button></div>
<div id="sandbox-payer-error" class="alert error" role="alert" tabindex="-1"></div>
</section>`;
}

function choices(name: string, items: ReadonlyArray<BankListItem | ProviderListItem>): SafeHtml {
  return html`<div class="choices">${items.map(
    (item) => html`<label class="choice"><input type="radio" name="${name}" value="${item.code}"> ${item.name}</label>`,
  )}</div>`;
}

function netbankingPanel(d: CheckoutDetail): SafeHtml {
  const topCodes = new Set(d.topNetBankingList.map((b) => b.code));
  const others = d.netBankingList.filter((b) => !topCodes.has(b.code));
  return html`<form data-code-mode="NET_BANKING" novalidate>
<fieldset><legend>Popular banks</legend>${choices('bankCode', d.topNetBankingList)}</fieldset>
${
  others.length > 0
    ? html`<label for="netbanking-other">Other banks</label>
<select id="netbanking-other" name="bankCode"><option value="">Choose a bank</option>${others.map((b) => html`<option value="${b.code}">${b.name}</option>`)}</select>`
    : null
}
<div class="alert error" role="alert" tabindex="-1"></div>
<div class="actions"><button type="submit" class="wide" data-pay-total>Pay ${rupees(d.amount)}</button></div>
</form>`;
}

function providerPanel(mode: 'WALLET' | 'PAY_LATER', d: CheckoutDetail, items: ProviderListItem[]): SafeHtml {
  return html`<form data-code-mode="${mode}" novalidate>
<fieldset><legend>${mode === 'WALLET' ? 'Choose a wallet' : 'Choose a pay-later provider'}</legend>${choices('bankCode', items)}</fieldset>
<div class="alert error" role="alert" tabindex="-1"></div>
<div class="actions"><button type="submit" class="wide" data-pay-total>Pay ${rupees(d.amount)}</button></div>
</form>`;
}

function modeTabs(d: CheckoutDetail): ModeTab[] {
  const tabs: ModeTab[] = [];
  if (d.creditCard || d.debitCard || d.prepaidCard || d.corporateCard) tabs.push({ mode: 'CARD', label: 'Card', id: 'card', panel: cardPanel(d) });
  if (d.upi) tabs.push({ mode: 'UPI', label: 'UPI', id: 'upi', panel: upiPanel(d) });
  if (d.netBanking) tabs.push({ mode: 'NET_BANKING', label: 'Netbanking', id: 'netbanking', panel: netbankingPanel(d) });
  if (d.wallet) tabs.push({ mode: 'WALLET', label: 'Wallet', id: 'wallet', panel: providerPanel('WALLET', d, d.walletList) });
  if (d.payLater) tabs.push({ mode: 'PAY_LATER', label: 'Pay later', id: 'paylater', panel: providerPanel('PAY_LATER', d, d.payLaterList) });
  return tabs;
}

/** The hosted checkout (`GET /pay/checkout/{orderId}` for a browser): the order, the contact details, the enabled modes. */
export function renderCheckoutPage(d: CheckoutDetail): string {
  const tabs = modeTabs(d);
  const merchant = d.merchantInfo.merchantName;
  const body = html`<main class="shell" id="main">
<div class="checkout">
<aside class="panel summary" aria-labelledby="merchant-name">
<div class="merchant"><div class="logo" aria-hidden="true">${merchant.slice(0, 1).toUpperCase()}</div>
<div><h1 id="merchant-name">${merchant}</h1>${d.description ? html`<p class="muted">${d.description}</p>` : null}</div></div>
<p class="visually-hidden">Amount to pay</p>
<p class="total" id="order-amount">${rupees(d.amount)}</p>
<dl>
<dt>Order</dt><dd class="mono">${d.merchantOrderId}</dd>
<dt>Reference</dt><dd class="mono">${d.orderId}</dd>
<dt>Fees</dt><dd id="fees">None</dd>
<dt>Attempts left</dt><dd>${d.paymentAttemptLeft ? 'Yes' : 'None'}</dd>
</dl>
<p id="expiry-timer" class="timer"></p>
<div class="actions"><button id="cancel-button" type="button" class="danger wide">Cancel payment</button></div>
</aside>
<section class="panel" aria-labelledby="pay-heading">
<h2 id="pay-heading">Pay ${rupees(d.amount)} with</h2>
${
  d.skipContactInfo
    ? null
    : html`<fieldset class="contact"><legend>Contact details <span class="hint">(for the receipt; optional)</span></legend>
<div class="row">
<div><label for="customer-email">Email</label><input id="customer-email" type="email" autocomplete="email" value="${d.email ?? ''}"></div>
<div><label for="customer-mobile">Mobile</label><input id="customer-mobile" type="tel" inputmode="numeric" autocomplete="tel-national" maxlength="10" value="${d.phone ?? ''}"></div>
</div>
<div id="contact-error" class="alert error" role="alert" tabindex="-1"></div>
</fieldset>`
}
${
  tabs.length === 0
    ? html`<p class="alert error">This merchant has no payment method enabled.</p>`
    : html`<div class="modes" role="tablist" aria-label="Payment method">
${tabs.map((t, i) => html`<button type="button" role="tab" id="tab-${t.id}" aria-controls="panel-${t.id}" aria-selected="${i === 0 ? 'true' : 'false'}" tabindex="${i === 0 ? '0' : '-1'}" data-mode="${t.mode}">${t.label}</button>`)}
</div>
${tabs.map((t, i) => html`<div role="tabpanel" id="panel-${t.id}" aria-labelledby="tab-${t.id}" ${i === 0 ? '' : 'hidden'}>${t.panel}</div>`)}`
}
</section>
</div>
</main>
${jsonScript('checkout-data', d)}`;
  return page({ title: `Pay ${rupees(d.amount)} to ${merchant}`, body, banner: SANDBOX_RIBBON, scripts: ['checkout.js'] });
}

/** A checkout that cannot take a payment (unknown order, paid, cancelled or expired), or done; `selfClose`: the end of an SDK popup, which closes itself. */
export function renderCheckoutClosed(options: { title: string; message: string; returnUrl?: string | null; selfClose?: boolean }): string {
  const body = html`<main class="shell narrow" id="main"><div class="panel">
<h1>${options.title}</h1>
<p>${options.message}</p>
${options.returnUrl ? html`<div class="actions"><a class="button" href="${options.returnUrl}">Return to the merchant</a></div>` : null}
</div></main>`;
  return page({ title: options.title, body, banner: SANDBOX_RIBBON, ...(options.selfClose ? { scripts: ['close.js'] } : {}) });
}
