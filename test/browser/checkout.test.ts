import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { guardedPage, launchChromium } from '../support/browser.js';
import { gatewayHeaders } from '../support/gateway.js';
import { seedBearer } from '../support/oauth.js';
import { startReceiver } from '../support/webhook-receiver.js';

// The hosted checkout in a real browser (issue 4, part 4): Debian's Chromium driven by
// playwright-core against a real server on 127.0.0.1. Each flow ends on the merchant's returnUrl
// (a local HTTP server) with a checksum the test recomputes with the documented recipe.

const SLOW = 180_000;
/** The sandbox merchant's secret key (docs/api/gateway.md): the HMAC key of the notify and return `checksum`. */
const SANDBOX_MERCHANT_SECRET = 'sandbox_secret_64b0ff0332f058b5';

function expectedChecksum(p: URLSearchParams): string {
  const message = [p.get('orderId'), p.get('transactionId'), p.get('uniqueTransactionId'), p.get('amount'), p.get('status')].join('|');
  return createHmac('sha256', SANDBOX_MERCHANT_SECRET).update(message, 'utf8').digest('hex');
}

describe('the hosted checkout in a browser', { timeout: SLOW }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let merchant: Awaited<ReturnType<typeof startReceiver>>;
  let context: BrowserContext;
  let pageErrors: string[];
  let offHost: string[];

  beforeAll(async () => {
    // As a real server: sandbox timers (a UPI payer's answer, a slow bank) fire on their own.
    t = await createTestApp({ background: { workers: true, timerPollMs: 100 } });
    origin = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    merchant = await startReceiver();
    merchant.behave({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Merchant</title><h1>Thank you</h1>' });
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await merchant?.close();
    await t?.close();
  }, SLOW);

  afterEach(async () => {
    expect(pageErrors, 'uncaught errors on the page').toEqual([]);
    expect(offHost, 'requests that left 127.0.0.1').toEqual([]);
    await context?.close();
  });

  async function openCheckout(amount: number): Promise<{ page: Page; orderId: string; merchantOrderId: string }> {
    const merchantOrderId = `WEB-${Math.random().toString(36).slice(2, 10)}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v0/orders',
      headers: await gatewayHeaders(t.app),
      payload: { orderId: merchantOrderId, amount: { value: amount, currency: 'INR' }, returnUrl: `${merchant.url}/return`, description: 'Browser test order' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const orderId = (res.json() as { payload: { orderId: string } }).payload.orderId;
    let page: Page;
    ({ context, page, pageErrors, offHost } = await guardedPage(browser, { width: 1100, height: 900 }));
    page.on('dialog', (dialog) => void dialog.accept());
    const response = await page.goto(`${origin}/pay/checkout/${orderId}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('#order-amount').textContent()).resolves.toBe(`₹${amount.toFixed(2)}`);
    return { page, orderId, merchantOrderId };
  }

  /** Waits for the browser to land on the merchant's returnUrl and checks the return's keys and checksum. */
  async function returned(page: Page, expected: { status: string; paymentStatus: string; amount: string }): Promise<URLSearchParams> {
    await page.waitForURL((url) => url.href.startsWith(`${merchant.url}/return`), { timeout: 60_000 });
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    const params = new URL(page.url()).searchParams;
    expect(params.get('status')).toBe(expected.status);
    expect(params.get('payment_status')).toBe(expected.paymentStatus);
    expect(params.get('amount')).toBe(expected.amount);
    expect(params.get('currency')).toBe('INR');
    expect(params.get('payment_id')).toBe(params.get('transactionId'));
    expect(params.get('order_id')).toBe(params.get('uniqueTransactionId'));
    expect(params.get('checksum')).toMatch(/^[0-9a-f]{64}$/);
    expect(params.get('signature')).toBe(params.get('checksum'));
    expect(params.get('checksum')).toBe(expectedChecksum(params));
    return params;
  }

  /** The merchant's view of the transaction (Get Transaction Status, reference §2.2). */
  async function transaction(transactionId: string): Promise<Record<string, unknown>> {
    const res = await t.app.inject({ method: 'GET', url: `/api/v0/payment/${transactionId}`, headers: await gatewayHeaders(t.app) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: Record<string, unknown> }).payload;
  }

  it('pays by card (frictionless) and returns SUCCESS to returnUrl', async () => {
    const { page, orderId } = await openCheckout(250);
    const shot = path.join(os.tmpdir(), 'tijori-checkout.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    // A number that fails the Luhn check: the server's resultCode 156 (ADR 0037) shows on the form, which stays usable.
    await page.getByLabel('Card number').fill('4111 1111 1111 1112');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVV').fill('123');
    await page.getByLabel('Name on card (optional)').fill('Asha Rao');
    await page.getByRole('button', { name: 'Pay ₹250.00' }).click();
    await expect.poll(() => page.locator('#card-error').textContent()).toContain('fails the Luhn check');
    // An error, not "pending with the bank" news.
    await expect(page.locator('#card-error').getAttribute('class')).resolves.toBe('alert error');
    await page.getByLabel('Card number').fill('4111 1111 1111 1111');
    await page.getByRole('button', { name: 'Pay ₹250.00' }).click();
    const params = await returned(page, { status: 'SUCCESS', paymentStatus: 'success', amount: '250.00' });
    expect(params.get('orderStatus')).toBe('PAID');
    expect(params.get('paymentMode')).toBe('CREDIT_CARD');
    await expect(transaction(params.get('transactionId')!)).resolves.toMatchObject({
      status: 'SUCCESS',
      orderStatus: 'PAID',
      checksum: params.get('checksum'),
    });
    const order = await t.app.inject({ method: 'GET', url: `/api/v0/orders/${orderId}`, headers: await gatewayHeaders(t.app) });
    expect((order.json() as { payload: { orderStatus: string } }).payload.orderStatus).toBe('PAID');
  });

  it('a RuPay card with a wrong OTP: the bank page says so, three wrong OTPs fail the payment and return FAILED', async () => {
    const { page } = await openCheckout(99.5);
    await page.getByLabel('Card number').fill('6521555555555556');
    await page.getByLabel('Expiry (MM/YY)').fill('11/33');
    await page.getByLabel('CVV').fill('321');
    await page.getByRole('button', { name: /^Pay ₹/ }).click();
    await page.waitForURL(/\/pay\/bank\//);
    await expect(page.getByText('Tijori sandbox — simulated bank').isVisible()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'RuPay PaySecure' }).waitFor();
    await page.screenshot({ path: path.join(os.tmpdir(), 'tijori-bank-otp.png'), fullPage: true });
    await page.getByLabel('One-time password').fill('000000');
    await page.getByRole('button', { name: 'Submit OTP' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/wrong|incorrect/i);
    await page.getByRole('button', { name: 'Resend OTP' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/sent again/i);
    for (let i = 0; i < 2; i++) {
      await page.getByLabel('One-time password').fill('111111');
      await page.getByRole('button', { name: 'Submit OTP' }).click();
      if (i === 0) await expect(page.getByRole('alert').textContent()).resolves.toMatch(/wrong|incorrect/i);
    }
    const params = await returned(page, { status: 'FAILED', paymentStatus: 'failed', amount: '99.50' });
    expect(params.get('paymentMode')).toBe('DEBIT_CARD');
  });

  it('pays by UPI collect while the page polls, and returns SUCCESS', async () => {
    const { page } = await openCheckout(120);
    await page.getByRole('tab', { name: 'UPI' }).click();
    await page.getByLabel(/UPI ID/).fill('success@enkash');
    await page.getByRole('button', { name: 'Pay ₹120.00' }).click();
    await page.getByText('Waiting for you to approve the payment').waitFor();
    await page.screenshot({ path: path.join(os.tmpdir(), 'tijori-checkout-upi.png'), fullPage: true });
    const polls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/pay/checkout/status/upi/')) polls.push(r.url());
    });
    const params = await returned(page, { status: 'SUCCESS', paymentStatus: 'success', amount: '120.00' });
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(params.get('paymentMode')).toBe('UPI');
  });

  it('pays by netbanking through the simulated bank login and confirmation', async () => {
    const { page } = await openCheckout(500);
    await page.getByRole('tab', { name: 'Netbanking' }).click();
    await page.getByLabel('HDFC Bank').check();
    await page.getByRole('button', { name: 'Pay ₹500.00' }).click();
    await page.waitForURL(/\/pay\/bank\//);
    await page.getByRole('heading', { name: 'HDFC Bank netbanking' }).waitFor();
    await page.getByLabel('User id').fill('asha');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Confirm payment' }).click();
    const params = await returned(page, { status: 'SUCCESS', paymentStatus: 'success', amount: '500.00' });
    expect(params.get('paymentMode')).toBe('NET_BANKING');
    expect(params.get('bankCode')).toBe('HDFC');
  });

  it('shows a UPI QR code image that waits for its payer; the sandbox payer control pays it', async () => {
    const { page } = await openCheckout(42);
    await page.getByRole('tab', { name: 'UPI' }).click();
    await page.getByRole('button', { name: 'Show QR code' }).click();
    const qr = page.getByRole('img', { name: 'UPI QR code for ₹42.00' });
    await qr.waitFor();
    const size = await qr.evaluate((img) => [
      (img as unknown as { naturalWidth: number }).naturalWidth,
      (img as unknown as { naturalHeight: number }).naturalHeight,
    ]);
    expect(size).toEqual([240, 240]);
    await expect(page.locator('#upi-qr-link').textContent()).resolves.toMatch(/^upi:\/\/pay\?pa=/);
    // Nobody pays a sandbox QR code by itself: with timers firing every 100 ms, 7 s later the page still waits.
    const panel = page.getByRole('region', { name: /Simulate the payer/ });
    await panel.waitFor();
    await page.waitForTimeout(7_000);
    expect(page.url()).toContain('/pay/checkout/');
    await expect(page.getByText('Waiting for you to approve the payment').isVisible()).resolves.toBe(true);
    await panel.getByRole('button', { name: 'Payer pays' }).click();
    const params = await returned(page, { status: 'SUCCESS', paymentStatus: 'success', amount: '42.00' });
    expect(params.get('paymentMode')).toBe('UPI');
  });

  it('the keyboard moves between the payment modes (arrow keys), and the page expires with its order', async () => {
    const { page } = await openCheckout(15);
    await page.getByRole('tab', { name: 'Card' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'UPI' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByRole('tabpanel', { name: 'UPI' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('tabpanel', { name: 'Card' }).isVisible()).resolves.toBe(false);
    await page.keyboard.press('End');
    await expect(page.getByRole('tab', { name: 'Pay later' }).getAttribute('aria-selected')).resolves.toBe('true');
    // Sandbox time: the order expires in 30 minutes; move to 4 s before it and reload.
    const advanced = await t.app.inject({
      method: 'POST',
      url: '/api/v0/sandbox/clock/advance',
      headers: { authorization: await seedBearer(t.app) },
      payload: { seconds: 30 * 60 - 4 },
    });
    expect(advanced.statusCode, advanced.body).toBe(200);
    await page.reload();
    await expect(page.locator('#expiry-timer').textContent()).resolves.toMatch(/^This page expires in 0:0[0-4]$/);
    const params = await returned(page, { status: 'CANCELLED', paymentStatus: 'cancelled', amount: '15.00' });
    expect(params.get('txnMsg')).toBe('Checkout timed out (timeout)');
  });

  it('cancel returns CANCELLED and the order takes a new attempt', async () => {
    const { page, orderId } = await openCheckout(75);
    await page.getByRole('button', { name: 'Cancel payment' }).click();
    const params = await returned(page, { status: 'CANCELLED', paymentStatus: 'cancelled', amount: '75.00' });
    const order = await t.app.inject({ method: 'GET', url: `/pay/checkout/${orderId}`, headers: { accept: 'application/json' } });
    expect(order.statusCode).toBe(200);
    const detail = (order.json() as { payload: { transactionId: string; paymentAttemptLeft: number } }).payload;
    expect(detail.transactionId).not.toBe(params.get('transactionId'));
  });
});
