import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { guardedPage, launchChromium } from '../support/browser.js';
import { gatewayHeaders } from '../support/gateway.js';

// A payment link in a real browser (ADR 0021): Debian's Chromium driven by playwright-core against
// a real server on 127.0.0.1. The customer opens the link, chooses a partial amount, pays by card
// on the hosted checkout, comes back to the link and pays the rest; the link ends PAID. Then the
// developer reads the link's notices on the sandbox outbox page with the merchant keys.

const SLOW = 180_000;

describe('a payment link in a browser', { timeout: SLOW }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];
  let offHost: string[];

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: true, timerPollMs: 100 } });
    origin = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, SLOW);

  afterEach(async () => {
    expect(pageErrors, 'uncaught errors on the page').toEqual([]);
    expect(offHost, 'requests that left 127.0.0.1').toEqual([]);
    await context?.close();
  });

  async function newPage(): Promise<Page> {
    let page: Page;
    ({ context, page, pageErrors, offHost } = await guardedPage(browser, { width: 1100, height: 900 }));
    return page;
  }

  async function link(id: string): Promise<Record<string, any>> {
    const res = await t.app.inject({ method: 'GET', url: `/api/v0/quick-collect/${id}`, headers: await gatewayHeaders(t.app) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { payload: Record<string, any> }).payload;
  }

  async function payByCard(page: Page, amount: string): Promise<void> {
    await page.waitForURL(/\/pay\/checkout\/ORD/);
    await expect(page.locator('#order-amount').textContent()).resolves.toBe(`₹${amount}`);
    await page.getByLabel('Card number').fill('4111 1111 1111 1111');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVV').fill('123');
    await page.getByRole('button', { name: `Pay ₹${amount}` }).click();
    // No returnUrl on a link's orders: the checkout ends on its own result page.
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor({ timeout: 60_000 });
  }

  it('opens the link, pays part by card, then the rest: the link is PAID', async () => {
    // Over real HTTP: the paymentLink is built from the request's own origin (no TIJORI_PUBLIC_URL).
    const created = await fetch(`${origin}/api/v0/quick-collect`, {
      method: 'POST',
      headers: { ...(await gatewayHeaders(t.app)), 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: 1500,
        referenceId: 'WEB-LINK-1',
        customerName: 'Asha Rao',
        customerEmail: 'asha@example.com',
        sendEmail: true,
        description: 'Invoice 77 <img src=x onerror=alert(1)>',
        partialPayment: true,
        minPartialAmount: 500,
      }),
    });
    expect(created.status).toBe(200);
    const { quickCollectRequestId: id, paymentLink } = ((await created.json()) as { payload: { quickCollectRequestId: string; paymentLink: string } }).payload;
    expect(paymentLink).toBe(`${origin}/pay/link/${id}`);

    const page = await newPage();
    const response = await page.goto(paymentLink);
    expect(response?.status()).toBe(200);
    await expect(page.locator('#link-amount-due').textContent()).resolves.toBe('₹1,500.00');
    await page.getByText('Invoice 77 <img src=x onerror=alert(1)>').waitFor();
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(os.tmpdir(), 'tijori-payment-link.png'), fullPage: true });
    await page.getByLabel(/Amount to pay/).fill('499');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The amount must be between 500.00 and 1500.00');
    await page.getByLabel(/Amount to pay/).fill('600');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await payByCard(page, '600.00');
    expect(await link(id)).toMatchObject({ status: 'PARTIALLY_PAID', amountPaid: 600, amountDue: 900 });

    await page.goto(paymentLink);
    // Customers read statuses in words, never the wire's PARTIALLY_PAID.
    await expect(page.locator('#link-status').textContent()).resolves.toBe('Partly paid');
    await expect(page.getByLabel(/Amount to pay/).inputValue()).resolves.toBe('900.00');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await payByCard(page, '900.00');
    const paid = await link(id);
    expect(paid).toMatchObject({ status: 'PAID', amountPaid: 1500, amountDue: 0 });
    expect(paid['payments']).toHaveLength(2);
    await page.goto(paymentLink);
    await page.getByText('This payment link has been paid in full').waitFor();
    await expect(page.getByRole('button', { name: /Pay/ }).count()).resolves.toBe(0);
    expect((await t.services.ledger.verify(t.database.db)).breaks).toEqual([]);
  });

  it("the sandbox outbox page lists the link's e-mail with the merchant keys pasted in", async () => {
    const page = await newPage();
    expect((await page.goto(`${origin}/sandbox/outbox`))?.status()).toBe(200);
    await page.getByRole('button', { name: 'Show messages' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/access key and secret key, or a bearer token/);
    await page.getByLabel('Merchant access key').fill(SANDBOX.merchantAccessKey);
    await page.getByLabel('Merchant secret key').fill(SANDBOX.merchantSecretKey);
    await page.getByLabel('Channel').selectOption('EMAIL');
    await page.getByRole('button', { name: 'Show messages' }).click();
    await page.getByText('1 notice').waitFor();
    const row = page.locator('#outbox-rows tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('asha@example.com');
    await expect(row.locator('td').nth(4).textContent()).resolves.toContain('/pay/link/QC');
    // The merchant's description is text on the outbox page, as on the link page: never markup.
    await expect(row.locator('td').nth(4).textContent()).resolves.toContain('Invoice 77 <img src=x onerror=alert(1)>');
    await expect(page.locator('#outbox-rows img').count()).resolves.toBe(0);
  });
});
