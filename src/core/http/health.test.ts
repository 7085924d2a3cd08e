import { describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase } from '../../../test/support/app.js';

describe('GET /health and GET /ready', () => {
  it('/ready turns 503 DOWN when the database stops answering, while /health stays UP', async () => {
    const database = await createTestDatabase();
    const t = await createTestApp({ database, seed: false });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'UP' });
      await database.close();
      const ready = await t.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'DOWN' });
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'UP' });
    } finally {
      await t.app.close();
    }
  });
});
