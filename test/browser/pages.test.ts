import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { guardedPage, launchChromium } from '../support/browser.js';
import { gatewayHeaders } from '../support/gateway.js';

// Tijori's own pages in a real browser at a laptop's width (1280 px) and a phone's (390 px),
// issue 16 items 9 and 13: the landing page and its test-order button, the checkout's UPI QR with
// its sandbox payer control, the receipts, the outbox with rows and the test data. At each width
// the page must not scroll sideways. Screenshots go to <tmpdir>/tijori-pages/ (not committed).

const SLOW = 240_000;
const WIDTHS = [1280, 390] as const;
const SHOTS = path.join(os.tmpdir(), 'tijori-pages');

describe('the pages at 1280 and 390 px', { timeout: SLOW }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  const opened: { context: BrowserContext; pageErrors: string[]; offHost: string[] }[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // As a real server: sandbox timers fire on their own (every 100 ms).
    t = await createTestApp({ background: { workers: true, timerPollMs: 100 } });
    origin = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, SLOW);

  afterEach(async () => {
    for (const o of opened.splice(0)) {
      expect(o.pageErrors, 'uncaught errors or CSP violations on the page').toEqual([]);
      expect(o.offHost, 'requests that left 127.0.0.1').toEqual([]);
      await o.context.close();
    }
  });

  async function newPage(width: number): Promise<Page> {
    const guarded = await guardedPage(browser, { width, height: 900 });
    opened.push(guarded);
    guarded.page.on('dialog', (dialog) => void dialog.accept());
    return guarded.page;
  }

  /** No sideways scrolling, then a full-page screenshot named after the page and the width. */
  async function check(page: Page, name: string, width: number): Promise<void> {
    // Evaluated in the page (a string: this project's TypeScript has no DOM types).
    const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    expect(innerWidth).toBe(width);
    expect(scrollWidth, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(innerWidth);
    const file = path.join(SHOTS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  }

  /** An order without a returnUrl: its checkout ends on Tijori's receipt. */
  async function order(amount: number): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/orders',
      headers: await gatewayHeaders(t.app),
      payload: { orderId: `PAGES-${Math.random().toString(36).slice(2, 10)}`, amount: { value: amount, currency: 'INR' }, description: 'Pages test order' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: { orderId: string } }).payload.orderId;
  }

  for (const width of WIDTHS) {
    it(`the landing page at ${width} px links the reference, the test data and the outbox, with its favicon`, async () => {
      const page = await newPage(width);
      const response = await page.goto(`${origin}/`);
      expect(response?.status()).toBe(200);
      await page.getByRole('heading', { name: 'Tijori', level: 1 }).waitFor();
      // The icon the page links (headless Chromium shows none) is served as an ICO that Chromium decodes, 32 px square.
      const href = await page.locator('link[rel="icon"]').evaluate((link) => (link as unknown as { href: string }).href);
      expect(href).toBe(`${origin}/favicon.ico`);
      const served = await page.request.get(href);
      expect([served.status(), served.headers()['content-type']]).toEqual([200, 'image/x-icon']);
      const data = `data:image/x-icon;base64,${(await served.body()).toString('base64')}`;
      const size = await page.evaluate<number[]>(
        `(async () => { const img = new Image(); img.src = '${data}'; await img.decode(); return [img.naturalWidth, img.naturalHeight]; })()`,
      );
      expect(size).toEqual([32, 32]);
      for (const [name, href] of [
        ['API reference', '/docs'],
        ['Test data', '/sandbox/test-data'],
        ['Sandbox outbox', '/sandbox/outbox'],
      ] as const) {
        await expect(page.getByRole('link', { name, exact: true }).getAttribute('href')).resolves.toBe(href);
      }
      await expect(page.getByText(SANDBOX.merchantAccessKey).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Create a test order' }).isVisible()).resolves.toBe(true);
      await check(page, 'landing', width);
    });
  }

  it("the landing page's button creates a test order and opens its checkout; a bad amount is refused on the page", async () => {
    const page = await newPage(1280);
    await page.goto(`${origin}/`);
    await page.getByLabel('Amount (₹)').fill('12.345');
    await page.getByRole('button', { name: 'Create a test order' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/amount in rupees/);
    await page.getByLabel('Amount (₹)').fill('249.50');
    await page.getByRole('button', { name: 'Create a test order' }).click();
    await page.waitForURL(/\/pay\/checkout\/ORD/);
    await expect(page.locator('#order-amount').textContent()).resolves.toBe('₹249.50');
    const orderId = new URL(page.url()).pathname.split('/').pop()!;
    const res = await t.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers: await gatewayHeaders(t.app) });
    expect((res.json() as { payload: Record<string, unknown> }).payload).toMatchObject({
      amount: { value: 249.5, currency: 'INR' },
      description: 'Test order from the Tijori home page',
    });
  });

  for (const [width, answer] of [
    [1280, 'Payer pays'],
    [390, 'Payer declines'],
  ] as const) {
    it(`at ${width} px: the checkout's UPI QR fits its card and waits; "${answer}" ends on the receipt`, async () => {
      const page = await newPage(width);
      await page.goto(`${origin}/pay/checkout/${await order(42)}`);
      await page.getByRole('tab', { name: 'UPI' }).click();
      await page.getByRole('button', { name: 'Show QR code' }).click();
      await page.getByRole('img', { name: 'UPI QR code for ₹42.00' }).waitFor();
      const panel = page.getByRole('region', { name: /Simulate the payer/ });
      await panel.waitFor();
      await expect(panel.getByText('Sandbox', { exact: true }).isVisible()).resolves.toBe(true);
      // The upi://pay text wraps inside the payment card.
      const link = await page.locator('#upi-qr-link').boundingBox();
      const card = await page.locator('section.panel[aria-labelledby="pay-heading"]').boundingBox();
      expect(link!.x + link!.width).toBeLessThanOrEqual(card!.x + card!.width);
      await check(page, 'checkout-upi-qr', width);
      await panel.getByRole('button', { name: answer }).click();
      await page.waitForURL(/\/pay\/checkout\/return\//);
      const paid = answer === 'Payer pays';
      await page.getByRole('heading', { name: paid ? 'Payment successful' : 'Payment failed' }).waitFor();
      await expect(page.locator('#receipt-amount').textContent()).resolves.toBe('₹42.00');
      await expect(page.locator('#receipt-merchant').textContent()).resolves.toBe('Tijori Sandbox Company');
      await expect(page.locator('#receipt-method').textContent()).resolves.toBe('UPI · QR code or UPI app');
      await expect(page.locator('#receipt-reference').textContent()).resolves.toMatch(/^TXN/);
      await expect(page.locator('#receipt-time').textContent()).resolves.toMatch(/2026.* IST$/);
      if (paid) await expect(page.locator('#receipt-bank-reference').textContent()).resolves.toMatch(/^[0-9]{12}$/);
      await check(page, paid ? 'receipt-success' : 'receipt-failed', width);
    });
  }

  it('a partly paid payment link: its receipt says what is still due, in words, at both widths', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v0/quick-collect',
      headers: await gatewayHeaders(t.app),
      payload: { amount: 1500, referenceId: 'PAGES-LINK-1', customerName: 'Asha Rao', partialPayment: true, minPartialAmount: 500 },
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = (created.json() as { payload: { quickCollectRequestId: string } }).payload.quickCollectRequestId;
    const page = await newPage(1280);
    await page.goto(`${origin}/pay/link/${id}`);
    await expect(page.locator('#link-status').textContent()).resolves.toBe('Awaiting payment');
    await page.getByLabel(/Amount to pay/).fill('600');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.waitForURL(/\/pay\/checkout\/ORD/);
    await page.getByLabel('Card number').fill('4111 1111 1111 1111');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVV').fill('123');
    await page.getByRole('button', { name: 'Pay ₹600.00' }).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('#receipt-amount-due').textContent()).resolves.toBe('₹900.00');
    await expect(page.locator('#receipt-method').textContent()).resolves.toBe('Credit card · VISA ending 1111');
    await expect(page.getByText('PAGES-LINK-1 · Partly paid').isVisible()).resolves.toBe(true);
    await expect(page.getByText('PARTIALLY_PAID').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Pay the remaining ₹900.00' }).getAttribute('href')).resolves.toBe(`/pay/link/${id}`);
    await check(page, 'receipt-link', 1280);
    const phone = await newPage(390);
    await phone.goto(page.url());
    await phone.getByRole('heading', { name: 'Payment successful' }).waitFor();
    await check(phone, 'receipt-link', 390);
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: the outbox lists a link's long notices without scrolling sideways`, async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v0/quick-collect',
        headers: await gatewayHeaders(t.app),
        payload: {
          amount: 250,
          customerName: 'Ravi Kumar',
          customerEmail: `ravi.kumar.with.a.rather.long.address.${width}@example-merchant-domain.co.in`,
          customerMobile: '9876543210',
          sendEmail: true,
          sendSms: true,
          description: `Invoice INV-${width}-2026-0001 for the annual maintenance contract of the office air conditioning units`,
        },
      });
      expect(created.statusCode, created.body).toBe(200);
      const page = await newPage(width);
      await page.goto(`${origin}/sandbox/outbox`);
      await page.getByLabel('Merchant access key').fill(SANDBOX.merchantAccessKey);
      await page.getByLabel('Merchant secret key').fill(SANDBOX.merchantSecretKey);
      await page.getByRole('button', { name: 'Show messages' }).click();
      await page.getByText(/^\d+ notices?/).waitFor();
      expect(await page.locator('#outbox-rows tr').count()).toBeGreaterThanOrEqual(2);
      await check(page, 'outbox', width);
    });
  }

  it('the test data at 390 px: one card per row, nothing sideways', async () => {
    const page = await newPage(390);
    await page.goto(`${origin}/sandbox/test-data`);
    await page.getByRole('heading', { name: 'Sandbox test data' }).waitFor();
    // Each cell names its column on a phone.
    const label = await page.evaluate<string>(`getComputedStyle(document.querySelector('td[data-label="Value"]'), '::before').content`);
    expect(label).toBe('"Value"');
    await check(page, 'test-data', 390);
  });
});
