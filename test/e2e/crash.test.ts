import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, runCrashTest } from '../crash/harness.js';
import { cleanup } from '../support/process.js';

// The crash test's short form for CI (reliability plan PAY-8, "3 kills in PR"); the full form is
// `npm run test:crash` (docs/testing.md). Merchant clients create orders, pay and refund with
// Idempotency-Keys while the real `tijori start` is SIGKILLed and restarted; every acknowledged
// payment and refund must then be in the database exactly once, nothing charged twice, the ledger
// clean and every event delivered. On PostgreSQL a scratch database beside TEST_DATABASE_URL; on
// the embedded database a file-backed data folder, which must survive each kill.
const adminUrl = process.env['TEST_DATABASE_URL'];
const SLOW = 600_000;

afterAll(cleanup, SLOW);

describe(`crash test, short form (${adminUrl ? 'PostgreSQL' : 'PGlite'})`, { timeout: SLOW }, () => {
  it('loses no acknowledged payment or refund, duplicates none, keeps the ledger clean and delivers every event across SIGKILLs', async () => {
    const report = await runCrashTest({ adminUrl, durationMs: 10_000, killIntervalMs: 2500, minKills: 3, clients: 3, refundEvery: 2 });
    const table = formatReport(report);
    process.stdout.write(`${table}\n`);
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(report.audit.payments.acknowledged).toBeGreaterThan(0);
    expect(report.failures, table).toEqual([]);
    expect(report.audit.payments.foundOnce).toBe(report.audit.payments.acknowledged);
    expect(report.audit.refunds.foundOnce).toBe(report.audit.refunds.acknowledged);
  });
});
