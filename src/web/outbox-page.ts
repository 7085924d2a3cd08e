import type { FastifyInstance } from 'fastify';
import { html, page, PAGE_HEADERS } from './html.js';

/**
 * `/sandbox/outbox`: the developer's view of the sandbox outbox (ADR 0021). The page is the same
 * for everyone and holds no company data; its script calls the API with the keys pasted in.
 */
export function renderOutboxPage(): string {
  const body = html`<main class="shell shell-wide" id="main">
<h1>Sandbox outbox</h1>
<p>SMS and e-mails that Tijori would send to your customers (payment links, reminders) are recorded here instead of being sent.
The list is read from <code>GET /api/v0/sandbox/outbox</code> with the credentials you enter; they stay in this page.</p>
<form id="outbox-form" class="panel" novalidate>
<div class="row">
<div><label for="outbox-access-key">Merchant access key</label><input id="outbox-access-key" type="text" autocomplete="off" spellcheck="false"></div>
<div><label for="outbox-secret-key">Merchant secret key</label><input id="outbox-secret-key" type="password" autocomplete="off"></div>
</div>
<label for="outbox-bearer">Or a bearer token <span class="hint">(OAuth or merchant token)</span></label>
<input id="outbox-bearer" type="password" autocomplete="off">
<div class="row">
<div><label for="outbox-channel">Channel</label><select id="outbox-channel"><option value="">All</option><option value="SMS">SMS</option><option value="EMAIL">E-mail</option></select></div>
<div><label for="outbox-related">Related id <span class="hint">(a quickCollectRequestId)</span></label><input id="outbox-related" type="text" autocomplete="off" spellcheck="false"></div>
</div>
<div id="outbox-error" class="alert error" role="alert"></div>
<div class="actions"><button type="submit">Show messages</button><span id="outbox-summary" class="muted" role="status"></span></div>
</form>
<table class="stack"><caption class="visually-hidden">Recorded notices, newest first</caption>
<thead><tr><th scope="col">Time (sandbox)</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Message</th><th scope="col">About</th></tr></thead>
<tbody id="outbox-rows"></tbody></table>
</main>`;
  return page({
    title: 'Sandbox outbox · Tijori',
    body,
    banner: html`<div class="sandbox-ribbon">Tijori sandbox: nothing on this page is sent</div>`,
    scripts: ['outbox.js'],
  });
}

export function registerOutboxPage(app: FastifyInstance): void {
  const rendered = renderOutboxPage();
  app.get('/sandbox/outbox', { schema: { hide: true } }, async (_request, reply) => reply.headers(PAGE_HEADERS).send(rendered));
}
