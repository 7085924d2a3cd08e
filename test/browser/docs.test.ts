import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { isLocal, launchChromium } from '../support/browser.js';

// /docs in a real browser: Debian's Chromium driven by playwright-core. The API reference must
// render from the server alone (it is read offline, on a developer's laptop or in a closed network).

const SLOW = 180_000;

describe('the API reference at /docs', { timeout: SLOW }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    origin = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, SLOW);

  it('renders the /oauth/token operation, loading nothing from any other host', async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const requested: string[] = [];
    const failed: string[] = [];
    const pageErrors: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    context.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
    // Anything bound elsewhere is recorded above and then refused, so the test never depends on the network.
    await context.route('**/*', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    page.on('websocket', (ws) => requested.push(ws.url()));
    page.on('pageerror', (err) => pageErrors.push(err.message));

    const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    // Scalar fetches /openapi.json and renders the operations from it.
    const summary = page.getByText('Get an access token (User Authentication)').first();
    await summary.waitFor({ state: 'visible', timeout: 60_000 });
    // The operation's path, as the reference lists it under its tag (Scalar 1.46: the pin that supports Node 20.19).
    const operation = page.getByText('/oauth/token', { exact: true }).filter({ visible: true }).first();
    await operation.waitFor({ state: 'visible', timeout: 30_000 });
    // No toolbar of Scalar's online services ("Deploy", "Share") on a local reference.
    await expect(page.getByText('Deploy', { exact: true }).count()).resolves.toBe(0);

    await page.waitForLoadState('networkidle');
    await operation.scrollIntoViewIfNeeded();
    // The request sample has a host: the document's `servers` names this server.
    await expect.poll(async () => (await page.locator('body').innerText()).includes(`${origin}/oauth/token`), { timeout: 30_000 }).toBe(true);
    const screenshot = path.join(os.tmpdir(), 'tijori-docs-oauth-token.png');
    await page.screenshot({ path: screenshot });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);

    expect(requested.some((url) => url.endsWith('/openapi.json'))).toBe(true);
    expect(
      requested.filter((url) => !isLocal(url)),
      'requests that left 127.0.0.1',
    ).toEqual([]);
    expect(failed, 'requests that failed').toEqual([]);
    expect(pageErrors, 'uncaught errors on the page').toEqual([]);
    await context.close();
  });
});
