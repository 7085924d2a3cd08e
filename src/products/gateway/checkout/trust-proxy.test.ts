import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, type TestApp } from '../../../../test/support/app.js';

/**
 * TRUST_PROXY (ADR 0047): behind a proxy every request comes from the proxy's address, so the
 * public checkout routes' per-address limit would be one budget for every customer. With the
 * proxy trusted, the client address is the one its X-Forwarded-For names; from anyone else the
 * header is ignored.
 */
describe(`the client address behind a trusted proxy (${backend})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ background: { workers: false, timerPollMs: null }, trustProxy: '10.0.0.1' });
  });
  afterAll(async () => t?.close());

  const miss = (remoteAddress: string, forwardedFor: string, i: number) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v0/transactions/TXN1767225600000${String(i).padStart(16, 'C')}/minimal`,
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('limits each forwarded client on its own; an untrusted peer is limited as itself whatever it forwards', async () => {
    for (let i = 0; i < 60; i++) expect((await miss('10.0.0.1', '203.0.113.7', i)).statusCode).toBe(404);
    expect((await miss('10.0.0.1', '203.0.113.7', 60)).statusCode).toBe(429);
    // Another customer behind the same proxy keeps its own budget.
    expect((await miss('10.0.0.1', '203.0.113.8', 61)).statusCode).toBe(404);
    // A peer that is not the proxy cannot borrow the limited client's name, nor escape by naming another.
    for (let i = 0; i < 60; i++) expect((await miss('10.0.0.2', `198.51.100.${i}`, i)).statusCode).toBe(404);
    expect((await miss('10.0.0.2', '198.51.100.250', 60)).statusCode).toBe(429);
  });
});
