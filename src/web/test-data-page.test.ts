import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxTestData } from '../sandbox-test-data.js';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import { escapeHtml } from './html.js';

describe('GET /sandbox/test-data (the portal page)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('lists every magic value and scenario of the same registry as the API, without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/sandbox/test-data' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const data = sandboxTestData();
    for (const rail of data.rails) {
      expect(res.body).toContain(`<h2 id="rail-${rail.rail.replace(/_/g, '-')}">${escapeHtml(rail.title)}</h2>`);
      for (const v of rail.magicValues)
        expect(res.body).toContain(`<td data-label="Value"><code>${escapeHtml(v.value)}</code></td><td data-label="Operation">${escapeHtml(v.operation)}</td>`);
    }
    // Refund outcomes (issue 4, part 9) are on the page too.
    for (const product of data.products) {
      expect(res.body).toContain(`<h2 id="rail-${product.product.replace(/_/g, '-')}">${escapeHtml(product.title)}</h2>`);
      for (const v of product.magicValues)
        expect(res.body).toContain(`<td data-label="Value"><code>${escapeHtml(v.value)}</code></td><td data-label="Operation">${escapeHtml(v.operation)}</td>`);
    }
    expect(res.body).toContain('<td data-label="Value"><code>decline:account_closed</code></td><td data-label="Operation">refund</td>');
    for (const s of data.scenarios) expect(res.body).toContain(`<td data-label="Scenario"><code>${escapeHtml(s.syntax)}</code></td>`);
    expect(res.body).toContain('<code>4111111111111111</code>');
    expect(res.body).toContain('<code>success@enkash</code>');
  });

  it('serves the stylesheet it links, revalidated by ETag', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/assets/tijori.css' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/css; charset=utf-8');
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await t.app.inject({ method: 'GET', url: '/assets/tijori.css', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const missing = await t.app.inject({ method: 'GET', url: '/assets/constructor' });
    expect(missing.statusCode).toBe(404);
  });
});
