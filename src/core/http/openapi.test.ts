import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

describe('GET /openapi.json', () => {
  let t: TestApp;
  let doc: {
    openapi: string;
    tags: { name: string; description: string }[];
    paths: Record<string, Record<string, { operationId?: string; summary?: string; responses?: object; tags?: string[] }>>;
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => t.close());

  it('is OpenAPI 3.1 generated from the route schemas, with the token endpoint as a form operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    const token = doc.paths['/oauth/token']?.['post'] as Record<string, any>;
    expect(token.operationId).toBe('oauth.token');
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.requestBody.content['application/x-www-form-urlencoded'].schema.properties.clientId).toBeDefined();
    expect(Object.keys(token.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
  });

  it('describes every public operation with an id, a summary and responses', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));
    expect(operations.map((o) => `${o.m} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'post /oauth/token',
        'post /oauth/revoke',
        'post /oauth/introspect',
        'get /oauth/check_token',
        'get /api/v0/me',
        'get /health',
        'get /ready',
      ]),
    );
    const declared = doc.tags.map((t) => t.name);
    for (const { path, m, op } of operations) {
      expect(op.summary, `${m} ${path} has no summary`).toBeTruthy();
      expect(op.responses, `${m} ${path} has no responses`).toBeTruthy();
      // Every operation sits under a tag the reference page lists with a description.
      expect(op.tags?.length, `${m} ${path} has no tag`).toBeGreaterThan(0);
      for (const tag of op.tags ?? []) expect(declared, `${m} ${path}: tag ${tag} is not declared in openapi.ts`).toContain(tag);
    }
  });

  it("names this server in `servers`: the request's own origin, so that the reference's generated requests have a host", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'tijori.localhost:3000' } });
    const served = res.json() as { servers?: { url: string }[] };
    expect(served.servers?.map((s) => s.url)).toEqual(['http://tijori.localhost:3000']);
    // The document keeps its order: version, info, then the servers.
    expect(Object.keys(served).slice(0, 3)).toEqual(['openapi', 'info', 'servers']);
  });

  it('names TIJORI_PUBLIC_URL in `servers` when it is set, whatever the Host header says', async () => {
    const behindProxy = await createTestApp({ seed: false, publicUrl: 'https://pay.example.in/tijori' });
    try {
      const res = await behindProxy.app.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'internal:3000' } });
      expect((res.json() as { servers?: { url: string }[] }).servers?.map((s) => s.url)).toEqual(['https://pay.example.in/tijori']);
    } finally {
      await behindProxy.close();
    }
  });

  it('serves the API reference page at /docs from the local bundle', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).not.toMatch(/https?:\/\/(cdn|fonts)\./);
  });
});
