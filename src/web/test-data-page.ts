import type { FastifyInstance } from 'fastify';
import type { SandboxTestData } from '../rails/index.js';
import { sandboxTestData } from '../sandbox-test-data.js';
import { html, page, PAGE_HEADERS, SafeHtml } from './html.js';

/** `code` spans for the backquoted parts of a test-data sentence (the registry writes them Markdown-style). */
function inline(text: string): SafeHtml {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

const anchor = (rail: string) => `rail-${rail.replace(/_/g, '-')}`;

/**
 * The portal's "Test card details" page (issue 4, part 9): rendered from `sandboxTestData()`, the
 * same source as `GET /api/v0/sandbox/test-data` and docs/sandbox.md, so the three cannot differ.
 */
export function renderTestDataPage(data: SandboxTestData = sandboxTestData()): string {
  const body = html`<main class="shell" id="main">
<h1>Sandbox test data</h1>
<p>Every outcome of Tijori's simulated rails is decided by the values below or by a scenario named on the request, never by chance.
They are simulator-only: they mean nothing to EnKash or to a bank. The same data is served as JSON by
<code>GET /api/v0/sandbox/test-data</code> and written to <code>docs/sandbox.md</code>.</p>
<nav class="toc panel" aria-label="Contents"><ul>
<li><a href="#precedence">How an outcome is decided</a></li>
<li><a href="#scenarios">Scenarios</a></li>
${data.rails.map((r) => html`<li><a href="#${anchor(r.rail)}">${r.title}</a></li>`)}
${data.products.map((p) => html`<li><a href="#${anchor(p.product)}">${p.title}</a></li>`)}
</ul></nav>
<section aria-labelledby="precedence"><h2 id="precedence">How an outcome is decided</h2>
<ol>${data.precedence.map((p) => html`<li>${inline(p)}</li>`)}</ol></section>
<section aria-labelledby="scenarios"><h2 id="scenarios">Scenarios</h2>
<p>Name one in the <code>${data.scenarioHeader}</code> header of the request that reaches the rail.</p>
<table class="stack"><thead><tr><th scope="col">Scenario</th><th scope="col">Meaning</th></tr></thead><tbody>
${data.scenarios.map((s) => html`<tr><td data-label="Scenario"><code>${s.syntax}</code></td><td data-label="Meaning">${inline(s.meaning)}</td></tr>`)}
</tbody></table></section>
${[...data.rails.map((r) => ({ id: r.rail as string, ...r })), ...data.products.map((p) => ({ id: p.product, ...p }))].map(
  (rail) => html`<section aria-labelledby="${anchor(rail.id)}"><h2 id="${anchor(rail.id)}">${rail.title}</h2>
<p>${inline(rail.summary)}</p>
<p><strong>Default:</strong> ${inline(rail.defaultOutcome)}.</p>
<p><strong>Scenarios:</strong> ${rail.scenarios.map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s}</code>`)}</p>
${rail.rules.length > 0 ? html`<ul>${rail.rules.map((r) => html`<li>${inline(r)}</li>`)}</ul>` : null}
<table class="stack"><caption class="visually-hidden">${rail.title}: test values</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Operation</th><th scope="col">Outcome</th><th scope="col">Description</th></tr></thead><tbody>
${rail.magicValues.map(
  (v) =>
    html`<tr><td data-label="Kind">${v.kind}</td><td data-label="Value"><code>${v.value}</code></td><td data-label="Operation">${v.operation}</td><td data-label="Outcome">${inline(v.outcome)}</td><td data-label="Description">${inline(v.description)}</td></tr>`,
)}
</tbody></table></section>`,
)}
</main>`;
  return page({ title: 'Sandbox test data · Tijori', body, banner: html`<div class="sandbox-ribbon">Tijori sandbox</div>` });
}

/** `GET /sandbox/test-data`: the HTML page (no token: it lists public fixtures only). */
export function registerTestDataPage(app: FastifyInstance): void {
  const rendered = renderTestDataPage();
  app.get('/sandbox/test-data', { schema: { hide: true } }, async (_request, reply) => reply.headers(PAGE_HEADERS).send(rendered));
}
