import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { guardedPage, launchChromium } from '../support/browser.js';
import { gatewayHeaders } from '../support/gateway.js';

// The payment button in a real browser (ADR 0022): a merchant's page on a SECOND origin (its own
// HTTP server on another port, with a strict Content-Security-Policy that allows only Tijori's
// origin) embeds /pay/button.js as docs/api/gateway-button.md shows; the payer clicks, fills the
// button's form, lands on Tijori's hosted checkout, pays by UPI collect while the page polls,
// and comes back to the merchant's returnUrl.

const SLOW = 180_000;

/** The merchant's site: its shop page (the embed snippets) and its thank-you page (the returnUrl). */
async function startShop(page: () => string, tijori: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        // The merchant's own policy: scripts and calls only to its payment provider.
        'content-security-policy': `default-src 'none'; script-src ${tijori()}; connect-src ${tijori()}; style-src 'none'; base-uri 'none'`,
      });
      res.end(page());
      return;
    }
    if (req.url?.startsWith('/thanks')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Bakery</title><h1>Thank you for your order</h1>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a payment button embedded in a page of another origin', { timeout: SLOW }, () => {
  let t: TestApp;
  let origin: string;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];
  let offHost: string[];
  let shopHtml = '';

  beforeAll(async () => {
    // As a real server: sandbox timers (the UPI payer's answer) fire on their own.
    t = await createTestApp({ background: { workers: true, timerPollMs: 100 } });
    origin = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    shop = await startShop(
      () => shopHtml,
      () => origin,
    );
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await t?.close();
  }, SLOW);

  afterEach(async () => {
    expect(pageErrors, 'uncaught errors or CSP violations on the pages').toEqual([]);
    expect(offHost, 'requests that left 127.0.0.1').toEqual([]);
    await context?.close();
  });

  async function api(method: 'GET' | 'POST', url: string, payload?: object) {
    const res = await t.app.inject({ method, url, headers: await gatewayHeaders(t.app), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: Record<string, any> }).payload;
  }

  async function openShop(): Promise<Page> {
    let page: Page;
    ({ context, page, pageErrors, offHost } = await guardedPage(browser, { width: 1000, height: 900 }));
    const response = await page.goto(`${shop.url}/`);
    expect(response?.status()).toBe(200);
    return page;
  }

  it('renders the buttons, refuses an amount below the minimum, then opens the checkout of a new order and is paid by UPI collect', async () => {
    const open = await api('POST', '/api/v0/payment-button', {
      title: 'Pay the bakery',
      description: 'Any amount, for your order at the counter',
      amountType: 'PAYER_ENTERED',
      minAmount: 10,
      maxAmount: 10_000,
      fields: [
        { name: 'customerName', label: 'Your name', required: true },
        { name: 'customerMobile', label: 'Mobile' },
        { name: 'tableNo', label: 'Table number' },
      ],
      returnUrl: `${shop.url}/thanks`,
      buttonLabel: 'Pay the bakery',
    });
    const gift = await api('POST', '/api/v0/payment-button', {
      title: 'Gift card',
      amountType: 'FIXED',
      amount: 499,
      buttonLabel: 'Buy a gift card',
      buttonColor: '#8a2be2',
      returnUrl: `${shop.url}/thanks`,
    });
    // The snippets as the docs give them: the script tag the API answers, and a div for a second button.
    shopHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Asha's Bakery</title></head><body>
<h1>Asha's Bakery</h1>
<p>Pay what you like:</p>
${(open['embedCode'] as string).replace('http://localhost:80', origin)}
<p>Or a gift card:</p>
<div data-tijori-button data-button-id="${gift['buttonId']}"></div>
<script src="${origin}/pay/button.js" async></script>
</body></html>`;
    expect(open['embedCode']).toBe(`<script src="http://localhost:80/pay/button.js" data-button-id="${open['buttonId']}" async></script>`);

    const page = await openShop();
    await page.getByRole('button', { name: 'Buy a gift card – ₹499.00' }).waitFor();
    await page.getByRole('button', { name: 'Pay the bakery' }).click();
    await page.getByLabel(/^Amount in rupees/).fill('5');
    await page.getByLabel('Your name').fill('Asha Rao');
    await page.getByLabel('Mobile (optional)').fill('9876543210');
    await page.getByLabel('Table number (optional)').fill('T7');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Invalid field amount: the minimum is ₹10\.00$/ })
      .waitFor();
    expect(page.url()).toBe(`${shop.url}/`);

    await page.getByLabel(/^Amount in rupees/).fill('120');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${origin}/pay/checkout/ORD`));
    await expect(page.locator('#order-amount').textContent()).resolves.toBe('₹120.00');
    const orderId = new URL(page.url()).pathname.split('/').pop()!;
    const order = await api('GET', `/api/v0/orders/${orderId}`);
    expect(order).toMatchObject({
      description: 'Pay the bakery',
      customerInfo: { firstName: 'Asha Rao', phoneNumber: '9876543210' },
      customParameters: { paymentButtonId: open['buttonId'], tableNo: 'T7' },
    });

    await page.getByRole('tab', { name: 'UPI' }).click();
    await page.getByLabel(/UPI ID/).fill('success@enkash');
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/pay/checkout/status/upi/')) polls.push(r.url());
    });
    await page.getByRole('button', { name: 'Pay ₹120.00' }).click();
    await page.getByText('Waiting for you to approve the payment').waitFor();
    await page.waitForURL((url) => url.href.startsWith(`${shop.url}/thanks`), { timeout: 60_000 });
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    const params = new URL(page.url()).searchParams;
    expect(params.get('status')).toBe('SUCCESS');
    expect(params.get('paymentMode')).toBe('UPI');
    expect(params.get('amount')).toBe('120.00');
    expect(polls.length).toBeGreaterThanOrEqual(1);

    await expect(api('GET', `/api/v0/payment-button/${open['buttonId']}`)).resolves.toMatchObject({ paymentsCount: 1, amountCollected: 120 });
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });

  it('a fixed-amount button with no fields goes straight to the checkout; a deactivated one is shown disabled', async () => {
    const gift = await api('POST', '/api/v0/payment-button', { title: 'Gift card', amountType: 'FIXED', amount: 499, buttonLabel: 'Buy a gift card' });
    const closed = await api('POST', '/api/v0/payment-button', { title: 'Closed', amountType: 'FIXED', amount: 10, buttonLabel: 'Closed sale' });
    await api('GET', `/api/v0/payment-button/${closed['buttonId']}`);
    const off = await t.app.inject({ method: 'PATCH', url: `/api/v0/payment-button/${closed['buttonId']}/deactivate`, headers: await gatewayHeaders(t.app) });
    expect(off.statusCode).toBe(200);
    shopHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<div data-tijori-button="${closed['buttonId']}"></div>
<script src="${origin}/pay/button.js" data-button-id="${gift['buttonId']}"></script>
</body></html>`;
    const page = await openShop();
    const closedButton = page.getByRole('button', { name: 'Closed sale – ₹10.00' });
    await closedButton.waitFor();
    await expect(closedButton.isDisabled()).resolves.toBe(true);
    await page.getByText('This payment button is not accepting payments.').waitFor();
    await page.getByRole('button', { name: 'Buy a gift card – ₹499.00' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${origin}/pay/checkout/ORD`));
    await expect(page.locator('#order-amount').textContent()).resolves.toBe('₹499.00');
  });

  it('shows markup in a merchant title, label or description, and in the server message, as text, never as HTML', async () => {
    const markup = '<img src=x id=injected>';
    const button = await api('POST', '/api/v0/payment-button', {
      title: `Title ${markup}`,
      description: `About <b id=bold>this</b>`,
      amountType: 'PAYER_ENTERED',
      minAmount: 10,
      fields: [{ name: 'note', label: `Note ${markup}`, required: true }],
      buttonLabel: `Pay ${markup}`,
    });
    shopHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<script src="${origin}/pay/button.js" data-button-id="${button['buttonId']}"></script>
</body></html>`;
    const page = await openShop();
    await page.getByRole('button', { name: `Pay ${markup}` }).click();
    await page.getByText(`Title ${markup}`, { exact: true }).waitFor();
    await page.getByText('About <b id=bold>this</b>', { exact: true }).waitFor();
    await page.getByLabel(/^Amount in rupees/).fill('20');
    // The server's message names the field by its label: it too is shown as typed.
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Missing required field Note ${markup}` })
      .waitFor();
    await expect(page.getByLabel(`Note ${markup}`).count()).resolves.toBe(1);
    await expect(page.locator('#injected, #bold, .tijori-button img, .tijori-button b').count()).resolves.toBe(0);
  });

  it('the same snippet pasted twice renders two buttons whose labels each name their own input', async () => {
    const button = await api('POST', '/api/v0/payment-button', {
      title: 'Twice',
      amountType: 'PAYER_ENTERED',
      fields: [{ name: 'customerName', label: 'Your name' }],
    });
    const snippet = (button['embedCode'] as string).replace('http://localhost:80', origin);
    shopHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<header>${snippet}</header>
<footer>${snippet}</footer>
</body></html>`;
    const page = await openShop();
    await expect.poll(() => page.locator('.tijori-button').count()).toBe(2);
    const ids = await page.locator('.tijori-button input').evaluateAll((inputs) => inputs.map((i) => i.id));
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    await page.locator('footer').getByRole('button', { name: 'Pay now' }).click();
    await page.locator('footer').getByLabel('Your name (optional)').fill('Ravi');
    await expect(page.locator('footer input[name=customerName]').inputValue()).resolves.toBe('Ravi');
    await expect(page.locator('header input[name=customerName]').inputValue()).resolves.toBe('');
  });
});
