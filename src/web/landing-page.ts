import type { FastifyInstance } from 'fastify';
import { SANDBOX } from '../auth/seed.js';
import { html, jsonScript, page, PAGE_HEADERS } from './html.js';

/** The repository's documents a developer reads next (the server does not serve them: they are in the clone). */
const DOCS: { path: string; about: string }[] = [
  { path: 'README.md', about: 'start here: commands, configuration, the first requests' },
  { path: 'docs/api/oauth.md', about: 'tokens: OAuth2 password and client credentials' },
  { path: 'docs/api/gateway.md', about: 'Payment Gateway: merchant token, orders, payments' },
  { path: 'docs/api/gateway-checkout.md', about: 'the hosted checkout and its sandbox payer' },
  { path: 'docs/api/payouts.md', about: 'payouts: beneficiaries, transfers, batches' },
  { path: 'docs/sandbox.md', about: 'every test value and scenario of the simulated rails' },
  { path: 'docs/webhooks.md', about: 'webhooks: signing, retries, replay' },
  { path: 'docs/errors.md', about: 'every error code' },
];

/**
 * `GET /`: where a developer lands after `npm start` — the API reference, the test data, the
 * sandbox outbox, the sandbox credentials (when the sandbox company is seeded) and a button that
 * creates a test order and opens its hosted checkout. The button runs in the browser with the
 * seeded merchant keys, through the same two public calls a merchant's server makes.
 */
export function renderLandingPage(options: { seeded: boolean }): string {
  const body = html`<main class="shell" id="main">
<section class="hero" aria-labelledby="title">
<h1 id="title">Tijori</h1>
<p>A self-hosted implementation of the EnKash developer-portal APIs — OAuth, Payment Gateway, Payouts, Bill Payments — with a
simulated sandbox of the Indian money rails (cards, UPI, netbanking, IMPS/NEFT/RTGS, BBPS). Nothing here moves real money.</p>
</section>
<div class="cards">
<section class="panel" aria-labelledby="card-docs"><h2 id="card-docs"><a href="/docs">API reference</a></h2>
<p>Every operation with its schemas, errors and a request to copy. The OpenAPI document is at <a href="/openapi.json"><code>/openapi.json</code></a>.</p></section>
<section class="panel" aria-labelledby="card-test-data"><h2 id="card-test-data"><a href="/sandbox/test-data">Test data</a></h2>
<p>Test cards, UPI IDs, bank codes and the scenarios that decide each simulated outcome.</p></section>
<section class="panel" aria-labelledby="card-outbox"><h2 id="card-outbox"><a href="/sandbox/outbox">Sandbox outbox</a></h2>
<p>The SMS and e-mails Tijori would have sent your customers (payment links, reminders), recorded instead.</p></section>
</div>
<section class="panel" aria-labelledby="test-order-title">
<h2 id="test-order-title">Create a test order</h2>
<p>Creates an order for the sandbox company and opens its hosted checkout, as a merchant's server would:
<code>POST /api/v0/merchant/token</code> with the sandbox merchant keys, then <code>POST /api/v0/orders</code>. Pay it with a
<a href="/sandbox/test-data#rail-card">test card</a>, a <a href="/sandbox/test-data#rail-upi">test UPI ID</a> or the QR code and its sandbox payer.</p>
<form id="test-order-form" class="inline-form" novalidate>
<div><label for="test-order-amount">Amount (₹)</label><input id="test-order-amount" name="amount" type="text" inputmode="decimal" autocomplete="off" value="100.00"></div>
<div><label for="test-order-description">Description <span class="hint">(optional)</span></label><input id="test-order-description" name="description" type="text" autocomplete="off" maxlength="500" value="Test order from the Tijori home page"></div>
<button type="submit">Create a test order</button>
</form>
<div id="test-order-error" class="alert error" role="alert"></div>
</section>
${
  options.seeded
    ? html`<section class="panel" aria-labelledby="credentials-title">
<h2 id="credentials-title">Sandbox credentials</h2>
<p>The sandbox company seeded at start (the EnKash portal page's test data). <code>tijori start</code> prints them too.</p>
<div class="cards">
<div><h3>OAuth (<code>POST /oauth/token</code>)</h3><dl class="pairs">
<dt>clientId</dt><dd class="mono">${SANDBOX.companyId}</dd>
<dt>client secret</dt><dd class="mono">${SANDBOX.clientSecret}</dd>
<dt>username</dt><dd class="mono">${SANDBOX.username}</dd>
<dt>password</dt><dd class="mono">${SANDBOX.password}</dd></dl></div>
<div><h3>Payment Gateway (<code>POST /api/v0/merchant/token</code>)</h3><dl class="pairs">
<dt>accessKey</dt><dd class="mono">${SANDBOX.merchantAccessKey}</dd>
<dt>secretKey</dt><dd class="mono">${SANDBOX.merchantSecretKey}</dd></dl></div>
</div>
</section>`
    : html`<section class="panel" aria-labelledby="credentials-title"><h2 id="credentials-title">Sandbox credentials</h2>
<p>This server did not seed the sandbox company (<code>TIJORI_SEED</code> is off), so the test-order button has no keys to use.
Create a company and its keys with <code>tijori company create</code> and <code>tijori merchant-key create</code>.</p></section>`
}
<section class="panel" aria-labelledby="docs-title">
<h2 id="docs-title">Documentation</h2>
<p>In the repository you cloned:</p>
<ul class="plain">${DOCS.map((d) => html`<li><code>${d.path}</code>: ${d.about}</li>`)}</ul>
<p>Operations: <a href="/health"><code>/health</code></a> (the process answers) and <a href="/ready"><code>/ready</code></a> (the database answers).</p>
</section>
</main>
${jsonScript('landing-data', options.seeded ? { accessKey: SANDBOX.merchantAccessKey, secretKey: SANDBOX.merchantSecretKey } : null)}`;
  return page({
    title: 'Tijori: EnKash developer-portal APIs with a simulated sandbox',
    body,
    banner: html`<div class="sandbox-ribbon">Tijori sandbox: test payments only, no money moves</div>`,
    scripts: ['landing.js'],
  });
}

/** `GET /` (the landing page); `HEAD /` comes with it. */
export function registerLandingPage(app: FastifyInstance, options: { seeded: boolean }): void {
  const rendered = renderLandingPage(options);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.headers(PAGE_HEADERS).send(rendered));
}
