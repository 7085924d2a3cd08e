import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { guardedPage, launchChromium } from '../support/browser.js';
import { gatewayHeaders } from '../support/gateway.js';
import { startShop } from '../support/sdk-merchant.js';

// Issue 15: a merchant's page on a second local origin drives Tijori's public checkout routes as
// EnKash's custom checkout SDK does (test/support/sdk-merchant.ts): CORS preflights, key-less
// calls, boolean paymentAttemptLeft, the BIN lookup, dauth, the popup's bank pages ending on a
// self-closing page, UPI QR and intent, netbanking, 3-D Secure and cancel. Each flow ends with the
// outcome on the merchant's page, and the test checks it is what Tijori recorded.

const SLOW = 180_000;

describe('a merchant page on another origin, calling the checkout as the custom checkout SDK does', { timeout: SLOW }, () => {
  let t: TestApp;
  let gateway: string;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];
  let offHost: string[];

  beforeAll(async () => {
    // As a real server: sandbox timers fire on their own.
    t = await createTestApp({ background: { workers: true, timerPollMs: 100 } });
    gateway = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    shop = await startShop();
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await t?.close();
  }, SLOW);

  afterEach(async () => {
    expect(pageErrors, 'uncaught errors on the page').toEqual([]);
    expect(offHost, 'requests that left 127.0.0.1').toEqual([]);
    await context?.close();
  });

  const api = async (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: await gatewayHeaders(t.app), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: Record<string, unknown> }).payload;
  };

  /** A new order, and the merchant's page opened on it (init: the order detail, cross-origin). */
  async function openShop(amount: number): Promise<{ page: Page; orderId: string }> {
    const created = await api('POST', '/api/v0/orders', {
      orderId: `SDK-${Math.random().toString(36).slice(2, 10)}`,
      amount: { value: amount, currency: 'INR' },
      returnUrl: `${shop.url}/return`,
    });
    const orderId = created['orderId'] as string;
    let page: Page;
    ({ context, page, pageErrors, offHost } = await guardedPage(browser));
    await page.goto(`${shop.url}/?gateway=${encodeURIComponent(gateway)}&order=${orderId}`);
    // init's calls are asynchronous: wait for the page to say it is ready (textContent reads once).
    await expect.poll(() => page.locator('#ready').textContent(), { timeout: 30_000 }).toBe('ready');
    await expect(page.locator('#attempts').textContent()).resolves.toBe('attempts left');
    return { page, orderId };
  }

  /** The sandbox's payer answers a waiting UPI QR code or app link (the hosted checkout's sandbox control). */
  const payerPays = async (transactionId: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/pay/checkout/sandbox/upi-payer/${transactionId}`, payload: { answer: 'PAY' } });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The outcome the merchant's page received, checked against Tijori's own record of the transaction. */
  async function outcome(page: Page, orderId: string): Promise<Record<string, string>> {
    await page.locator('#result').filter({ hasText: 'payment_status' }).waitFor({ timeout: 60_000 });
    const result = JSON.parse((await page.locator('#result').textContent())!) as Record<string, string>;
    const recorded = await api('GET', `/api/v0/payment/${result['payment_id']}`);
    expect(result).toMatchObject({ order_id: recorded['uniqueTransactionId'], signature: recorded['checksum'], status: recorded['status'] });
    expect((await api('GET', `/api/v0/orders/${orderId}`))['orderStatus']).toBe(result['orderStatus']);
    return result;
  }

  it('pays by a frictionless card: the BIN lookup without a token, then a final answer read as final (dauth)', async () => {
    const { page, orderId } = await openShop(250);
    await page.locator('#card-number').fill('4111111111111111');
    await page.getByRole('button', { name: 'Pay by card' }).click();
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'success', status: 'SUCCESS', orderStatus: 'PAID', paymentMode: 'CREDIT_CARD', amount: '250' });
    await expect(page.locator('#bin').textContent()).resolves.toBe('VISA CREDIT');
    // The customer-info PATCH went through: its preflight was answered.
    expect(await page.locator('#log li').allTextContents()).toContain(`PATCH /pay/checkout/customer-info/${result['payment_id']}`);
  });

  it('pays by a 3-D Secure card in the popup, which closes itself; the page learns the outcome by polling', async () => {
    const { page, orderId } = await openShop(99);
    await page.locator('#card-number').fill('4000000000003220');
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Pay by card' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Authenticate (pass)' }).click();
    await popup.waitForEvent('close', { timeout: 30_000 });
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'success', orderStatus: 'PAID', paymentMode: 'CREDIT_CARD' });
  });

  it('pays by netbanking through the bank pages in the popup', async () => {
    const { page, orderId } = await openShop(500);
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Pay by HDFC netbanking' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('User id').fill('asha');
    await popup.getByLabel('Password').fill('secret');
    await popup.getByRole('button', { name: 'Log in' }).click();
    await popup.getByRole('button', { name: 'Confirm payment' }).click();
    await popup.waitForEvent('close', { timeout: 30_000 });
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'success', orderStatus: 'PAID', paymentMode: 'NET_BANKING', amount: '500' });
  });

  it('pays by UPI QR: the QR, then the UPI status poll until the sandbox payer pays', async () => {
    const { page, orderId } = await openShop(42);
    await page.getByRole('button', { name: 'Show UPI QR' }).click();
    const size = await page.getByRole('img', { name: 'UPI QR' }).evaluate(async (img) => {
      const el = img as unknown as { decode(): Promise<void>; naturalWidth: number };
      await el.decode();
      return el.naturalWidth;
    });
    expect(size).toBeGreaterThan(100);
    await payerPays((await page.getByRole('img', { name: 'UPI QR' }).getAttribute('data-ref'))!);
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'success', orderStatus: 'PAID', paymentMode: 'UPI' });
  });

  it('pays by UPI intent: the app links change nothing until the customer picks an app', async () => {
    const { page, orderId } = await openShop(43);
    await page.getByRole('button', { name: 'UPI apps' }).click();
    await expect.poll(() => page.locator('#links').textContent(), { timeout: 30_000 }).toMatch(/^tez:\/\/upi\/pay\?pa=/);
    const ref = (await page.locator('#links').getAttribute('data-ref'))!;
    // Seconds later, nothing has happened: no attempt used, nobody paid.
    await page.waitForTimeout(1500);
    expect(await api('GET', `/api/v0/payment/${ref}`)).toMatchObject({ status: 'CREATED' });
    expect((await api('GET', `/api/v0/orders/${orderId}`))['paymentAttemptLeft']).toBe(5);
    await page.getByRole('button', { name: 'Pay with Google Pay' }).click();
    await expect.poll(async () => (await api('GET', `/api/v0/payment/${ref}`))['status'], { timeout: 30_000 }).not.toBe('CREATED');
    await payerPays(ref);
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'success', orderStatus: 'PAID', paymentMode: 'UPI', payment_id: ref });
  });

  it('cancel() cancels the order, and the page reports it cancelled', async () => {
    const { page, orderId } = await openShop(75);
    await page.getByRole('button', { name: 'Cancel' }).click();
    const result = await outcome(page, orderId);
    expect(result).toMatchObject({ payment_status: 'cancelled', orderStatus: 'CANCELLED' });
  });

  it("a page on an origin the merchant has not allowed gets no answer (the browser's network error)", async () => {
    await api('PATCH', '/api/v0/merchant/settings', { checkoutOrigins: ['https://shop.example.in'] });
    try {
      const created = await api('POST', '/api/v0/orders', { orderId: `SDK-${Math.random().toString(36).slice(2, 10)}`, amount: { value: 5, currency: 'INR' } });
      let page: Page;
      ({ context, page, pageErrors, offHost } = await guardedPage(browser));
      page.on('console', (msg) => {
        // Chromium reports the refused CORS read on the console; it is the point of this test.
        if (msg.type() === 'error') expect(msg.text()).toMatch(/CORS|Failed to load resource/);
      });
      await page.goto(`${shop.url}/?gateway=${encodeURIComponent(gateway)}&order=${created['orderId'] as string}`);
      await expect(page.getByRole('alert').filter({ hasText: 'NETWORK' }).textContent()).resolves.toMatch(/^NETWORK /);
      expect((await api('GET', `/api/v0/orders/${created['orderId'] as string}`))['orderStatus']).toBe('CREATED');
    } finally {
      await api('PATCH', '/api/v0/merchant/settings', { checkoutOrigins: null });
    }
  });
});
