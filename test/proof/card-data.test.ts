import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnValid } from '../../src/rails/card/rules.js';
import { backend, createTestApp, type TestApp } from '../support/app.js';
import { listTables, tableText } from '../support/db-snapshot.js';
import { SANDBOX_TENANT, tenantHeaders } from '../support/tenants.js';
import { CARD_FLOWS, type CardFlowContext } from './card-flows.js';

// PCI-1, PCI-2 and PCI-3 (reliability-test-plan §4), issue 5 part 6: after every registered card
// flow has run on one database (test/proof/card-flows.ts), no table row and no log line holds a
// full card number (a Luhn-valid 13-19 digit run starting with a BIN of a card the flows sent,
// also with spaces or dashes between the digits) or a CVV under a card-verification key.

/** Card-verification keys with a 3-4 digit value, in JSON, form or `key=value` text. */
const CVV_KEY = /["']?\b(cvv2?|cvc2?|cid|security_?code|securityCode|card_?cvv|cardCvv)["']?\s*[:=]\s*["']?(\d{3,4})\b/gi;
/** The same keys with a base64 value: the hosted checkout receives card fields base64-encoded (reference §2.4). */
const CVV_KEY_BASE64 = /["']?\b(cvv2?|cvc2?|cid|security_?code|securityCode|card_?cvv|cardCvv)["']?\s*[:=]\s*["']?([A-Za-z0-9+/]{4,8}={0,2})/gi;
const base64 = (text: string) => Buffer.from(text).toString('base64');

interface Finding {
  where: string;
  what: string;
}

/**
 * Full card numbers and CVVs in one piece of text (a row or a log line), also base64-encoded as
 * the hosted checkout receives them: a sent card number's base64 anywhere, a sent CVV's base64
 * under a card-verification key.
 */
export function cardDataIn(text: string, bins: Set<string>, cardNumbers: Set<string>, cvvs: Set<string> = new Set()): string[] {
  const found: string[] = [];
  const digits = text.replace(/(\d)[ -](?=\d)/g, '$1');
  for (const number of cardNumbers) if (digits.includes(number)) found.push(`card number ${number.slice(0, 6)}…${number.slice(-4)}`);
  for (const number of cardNumbers) if (text.includes(base64(number))) found.push(`base64 card number ${number.slice(0, 6)}…${number.slice(-4)}`);
  const encodedCvvs = new Set([...cvvs].map(base64));
  for (const m of text.matchAll(CVV_KEY_BASE64)) if (encodedCvvs.has(m[2]!)) found.push(`${m[1]} = base64 ${m[2]}`);
  for (const run of digits.match(/\d{13,}/g) ?? []) {
    for (let len = 13; len <= 19; len++) {
      for (let i = 0; i + len <= run.length; i++) {
        const candidate = run.slice(i, i + len);
        if (bins.has(candidate.slice(0, 6)) && luhnValid(candidate) && !found.some((f) => f.includes(candidate.slice(-4)))) {
          found.push(`Luhn-valid ${len}-digit run ${candidate.slice(0, 6)}…${candidate.slice(-4)}`);
        }
      }
    }
  }
  for (const m of text.matchAll(CVV_KEY)) found.push(`${m[1]} = ${m[2]}`);
  return found;
}

describe(`card data at rest and in logs after every card flow on ${backend}`, () => {
  let t: TestApp;
  let ctx: CardFlowContext;
  const findings: Finding[] = [];
  let scannedRows = 0;

  beforeAll(async () => {
    t = await createTestApp({ background: { workers: true, timerPollMs: null } });
    ctx = { t, company: SANDBOX_TENANT.companyId, headers: await tenantHeaders(t.app, SANDBOX_TENANT), sent: { cardNumbers: new Set(), cvvs: new Set() } };
    for (const flow of CARD_FLOWS) {
      const started = performance.now();
      await flow.run(ctx);
      process.stdout.write(`[proof] card flow "${flow.name}": ${Math.round(performance.now() - started)} ms\n`);
    }
    // Let the job workers deliver what the flows enqueued (webhooks carry payloads too).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bins = new Set([...ctx.sent.cardNumbers].map((n) => n.slice(0, 6)));
    for (const table of await listTables(t.database)) {
      const rows = await tableText(t.database, table);
      scannedRows += rows.length;
      for (const [i, row] of rows.entries())
        for (const what of cardDataIn(row, bins, ctx.sent.cardNumbers, ctx.sent.cvvs)) findings.push({ where: `table ${table.name} row ${i}`, what });
    }
    for (const [i, line] of t.logs.lines.entries())
      for (const what of cardDataIn(line, bins, ctx.sent.cardNumbers, ctx.sent.cvvs)) findings.push({ where: `log line ${i}`, what });
    process.stdout.write(
      `[proof] card-data scan: ${CARD_FLOWS.length} flows, ${ctx.sent.cardNumbers.size} card numbers sent, ${scannedRows} rows and ${t.logs.lines.length} log lines scanned, ${findings.length} findings\n`,
    );
    // Every card flow of every product runs here, a few hundred requests: more than one test's minute on a shared CI core.
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the scanner finds a card number with or without separators and a CVV under its key, and nothing in ordinary rows', () => {
    const bins = new Set(['411111', '378282']);
    const known = new Set(['4111111111111111']);
    expect(cardDataIn('{"pan":"4111 1111 1111 1111"}', bins, known)).toEqual(['card number 411111…1111']);
    expect(cardDataIn('x=3782-822463-10005', bins, new Set())).toEqual(['Luhn-valid 15-digit run 378282…0005']);
    expect(cardDataIn('{"card":{"cvv":"737"}}', bins, known)).toEqual(['cvv = 737']);
    expect(cardDataIn('security_code=7373', bins, known)).toEqual(['security_code = 7373']);
    expect(cardDataIn('{"bin":"411111","last4":"1111","cvv":"[Redacted]","at":1767225600000}', bins, known)).toEqual([]);
    // As the hosted checkout receives them (reference §2.4): base64 of the number and of the CVV.
    expect(cardDataIn('{"paymentDetail":{"cardNumber":"NDExMTExMTExMTExMTExMQ==","cvv":"NzM3"}}', bins, known, new Set(['737']))).toEqual([
      'base64 card number 411111…1111',
      'cvv = base64 NzM3',
    ]);
    expect(cardDataIn('{"cvv":"NzM4","note":"NDExMTExMTExMTEx"}', bins, known, new Set(['737']))).toEqual([]);
  });

  it('ran every registered card flow, and they sent card numbers and CVVs', () => {
    expect(ctx.sent.cardNumbers.size).toBeGreaterThanOrEqual(10);
    expect(ctx.sent.cvvs.size).toBeGreaterThanOrEqual(2);
    expect(scannedRows).toBeGreaterThan(0);
    expect(t.logs.lines.length).toBeGreaterThan(0);
  });

  it('no table row and no log line holds a full card number or a CVV', () => {
    expect(findings).toEqual([]);
  });

  it('the card rail kept the token, BIN, last four and network of the cards it saw', async () => {
    const table = (await listTables(t.database)).find((x) => x.name === 'rail_card_authentications')!;
    const rows = (await tableText(t.database, table)).map((r) => JSON.parse(r) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row['card_token']).toMatch(/^ctok_/);
      expect(row['bin']).toMatch(/^\d{6}$/);
      expect(row['last4']).toMatch(/^\d{4}$/);
    }
  });
});
