import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../../src/auth/seed.js';
import { insertQrPayment } from '../../src/products/gateway/qr/repository.js';
import { backend, createTestApp, queryRows, type TestApp } from '../support/app.js';
import { gatewayHeaders } from '../support/gateway.js';
import { createTenant, tenantHeaders } from '../support/tenants.js';
import { startReceiver } from '../support/webhook-receiver.js';

/**
 * UPI QR codes (reference §2.8, docs/api/gateway-upi-qr.md): static and dynamic QRs, customers,
 * search, cancel, closeBy on the sandbox clock, and the sandbox payer whose payment is a gateway
 * payment: captured, on the ledger, with Payment Notify at a real receiver.
 */
// jsqr is CommonJS: under NodeNext its default export is `module.exports.default`.
const jsQR = jsQRModule.default;

describe(`gateway UPI QR (${backend})`, () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let merchantName: string;
  let seq = 0;

  type Body = { response_code: number; response_message: string; payload: Record<string, unknown> };
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, h = headers) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...h, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    const json = String(res.headers['content-type'] ?? '').startsWith('application/json');
    return { status: res.statusCode, code: res.headers['x-error-code'], body: (json ? res.json() : null) as Body, raw: res };
  };
  const ok = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<any> => {
    const res = await call(method, url, payload);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.payload;
  };
  const createQr = (body: object) => ok('POST', '/api/v0/qr-code', body);
  const pay = (qrCodeId: string, body: object) => call('POST', `/api/v0/sandbox/qr-code/${qrCodeId}/pay`, body);
  const advance = (seconds: number) => ok('POST', '/api/v0/sandbox/clock/advance', { seconds });
  const now = async () => new Date((await ok('GET', '/api/v0/sandbox/clock')).now as string);
  const verifyLedger = async () => expect((await t.services.ledger.verify(t.database.db, { companyId: SANDBOX.companyId })).breaks).toEqual([]);
  const counts = async () => {
    const [row] = await queryRows<{ qr: string | number; orders: string | number }>(
      t.database,
      sql`select (select count(*) from gateway_qr_payments where company_id = ${SANDBOX.companyId}) as qr, (select count(*) from gateway_orders where company_id = ${SANDBOX.companyId}) as orders`,
    );
    return { qrPayments: Number(row!.qr), orders: Number(row!.orders) };
  };
  const checksum = (orderId: string, transactionId: string, uniqueTransactionId: string, amount: string, status: string) =>
    createHmac('sha256', SANDBOX.merchantSecretKey).update(`${orderId}|${transactionId}|${uniqueTransactionId}|${amount}|${status}`).digest('hex');
  const notifyUrl = () => `${rx.url}/qr/${backend}-${++seq}`;
  const notifiesAt = async (url: string, count: number) => {
    const path = new URL(url).pathname;
    const until = Date.now() + 15_000;
    const at = () => rx.received.filter((r) => r.path === path);
    while (at().length < count) {
      if (Date.now() > until) throw new Error(`notify at ${path}: ${at().length} of ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return at().map((r) => JSON.parse(r.body) as Record<string, unknown>);
  };
  const expectedString = (id: string, extra: string) =>
    `upi://pay?pa=${SANDBOX.companyId.toLowerCase()}%40enkash&pn=${encodeURIComponent(merchantName)}&mc=5399&tr=${id}${extra}&cu=INR`;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await createTestApp();
    headers = await gatewayHeaders(t.app);
    merchantName = (await t.services.gatewaySettings.get(t.database.db, SANDBOX.companyId)).merchantName;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('creates customers and finds them by name, email and mobile', async () => {
    const asha = await ok('POST', '/api/v0/qr-code/customer', { name: 'Asha Rao', email: 'asha@example.com', mobile: '9876543210' });
    expect(asha).toEqual({
      customerId: expect.stringMatching(/^QRC\d{13}[A-Za-z0-9]{5}$/),
      name: 'Asha Rao',
      email: 'asha@example.com',
      mobile: '9876543210',
      created: expect.any(String),
      lastModified: expect.any(String),
    });
    // Newest first is by sandbox time (ties by id): a second later, Ravi is the newest.
    await advance(1);
    const ravi = await ok('POST', '/api/v0/qr-code/customer', { name: 'Ravi 100%_Kumar' });
    expect(ravi).toMatchObject({ name: 'Ravi 100%_Kumar', email: null, mobile: null });
    expect((await ok('POST', '/api/v0/qr-code/customer/search', { name: 'ASHA' })).content).toEqual([asha]);
    // LIKE wildcards in the name are taken literally.
    expect((await ok('POST', '/api/v0/qr-code/customer/search', { name: '%_' })).content).toEqual([ravi]);
    expect((await ok('POST', '/api/v0/qr-code/customer/search', { mobile: '9876543210' })).content).toEqual([asha]);
    const page = await ok('POST', '/api/v0/qr-code/customer/search?limit=1', {});
    expect(page).toMatchObject({ totalElements: 2, totalPages: 2, size: 1, number: 0, content: [ravi] });
    expect((await call('POST', '/api/v0/qr-code/customer', { name: 'X', email: 'not-an-email' })).status).toBe(400);
  });

  it('a DYNAMIC QR: the exact upi://pay string, refusals that write nothing, one payment captured with notify, ledger verified', async () => {
    const customer = await ok('POST', '/api/v0/qr-code/customer', { name: 'Invoice Customer' });
    const url = notifyUrl();
    expect((await call('POST', '/api/v0/qr-code', { qrType: 'DYNAMIC', description: 'no amount' })).body).toEqual({
      response_code: 400,
      response_message: 'Missing required field amount for qrType DYNAMIC',
      payload: null,
    });
    expect((await call('POST', '/api/v0/qr-code', { qrType: 'DYNAMIC', amount: 1.005 })).code).toBe('invalid_amount');
    expect((await call('POST', '/api/v0/qr-code', { qrType: 'DYNAMIC', amount: 1, customerId: 'QRC0000000000000nope' })).code).toBe('qr_customer_not_found');
    const qr = await createQr({
      qrType: 'DYNAMIC',
      amount: 499,
      description: 'Invoice 1001 / June',
      customerId: customer.customerId,
      referenceId: `INV-${backend}-1`,
      notifyUrl: url,
    });
    expect(qr).toEqual({
      qrCodeId: expect.stringMatching(/^QR\d{13}[A-Za-z0-9]{5}$/),
      qrType: 'DYNAMIC',
      status: 'ACTIVE',
      closeReason: null,
      customerId: customer.customerId,
      amount: 499,
      description: 'Invoice 1001 / June',
      closeBy: null,
      notifyUrl: url,
      referenceId: `INV-${backend}-1`,
      qrString: expectedString(qr.qrCodeId, '&tn=Invoice%201001%20%2F%20June&am=499.00'),
      paymentsCount: 0,
      amountReceived: 0,
      closedAt: null,
      created: expect.any(String),
      lastModified: expect.any(String),
      qrImage: expect.stringMatching(/^iVBORw0KGgo/),
      payments: [],
    });
    expect((await call('POST', '/api/v0/qr-code', { qrType: 'STATIC', referenceId: `INV-${backend}-1` })).code).toBe('duplicate_qr_reference_id');

    // Refused payments write nothing: no claim, no order.
    const before = await counts();
    const wrong = await pay(qr.qrCodeId, { payerVpa: 'success@enkash', amount: 500 });
    expect(wrong.body).toEqual({ response_code: 422, response_message: 'Invalid field amount: the QR code takes exactly 499.00', payload: null });
    expect(wrong.code).toBe('qr_amount_mismatch');
    expect((await pay(qr.qrCodeId, { payerVpa: 'not a vpa' })).code).toBe('invalid_rail_input');
    expect((await pay('QR0000000000000nope1', { payerVpa: 'success@enkash' })).code).toBe('qr_code_not_found');
    expect(await counts()).toEqual(before);

    const paid = await pay(qr.qrCodeId, { payerVpa: 'success@enkash' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.payload).toEqual({
      qrPaymentId: expect.stringMatching(/^QRP\d{13}[A-Za-z0-9]{5}$/),
      qrCodeId: qr.qrCodeId,
      orderId: expect.stringMatching(/^ORD/),
      transactionId: expect.stringMatching(/^TXN/),
      payerVpa: 'success@enkash',
      amount: 499,
      transactionStatus: 'SUCCESS',
      orderStatus: 'PAID',
      bankTransactionId: expect.stringMatching(/^\d{12}$/),
      txnMsg: 'Transaction successful',
      qrStatus: 'CLOSED',
      closeReason: 'PAID',
    });
    const p = paid.body.payload as unknown as { orderId: string; transactionId: string; bankTransactionId: string; qrPaymentId: string };

    // The gateway's own Payment Notify, with the checksum of the merchant key that made the QR.
    const [notify] = await notifiesAt(url, 1);
    const txn = await ok('GET', `/api/v0/payment/${p.transactionId}`);
    expect(notify).toMatchObject({
      status: 'SUCCESS',
      orderStatus: 'PAID',
      paymentMode: 'UPI',
      amount: 499,
      finalAmount: 499,
      surcharge: 0,
      orderId: p.orderId,
      transactionId: p.transactionId,
      bankTransactionId: p.bankTransactionId,
    });
    expect(notify!['checksum']).toBe(checksum(p.orderId, p.transactionId, txn.uniqueTransactionId as string, '499.00', 'SUCCESS'));

    const got = await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`);
    expect(got).toMatchObject({ status: 'CLOSED', closeReason: 'PAID', paymentsCount: 1, amountReceived: 499, closedAt: expect.any(String) });
    expect(got.payments).toEqual([
      {
        qrPaymentId: p.qrPaymentId,
        transactionId: p.transactionId,
        orderId: p.orderId,
        payerVpa: 'success@enkash',
        amount: 499,
        status: 'SUCCESS',
        bankTransactionId: p.bankTransactionId,
        created: expect.any(String),
      },
    ]);

    // A DYNAMIC QR pays once; a paid QR cannot be cancelled.
    const again = await pay(qr.qrCodeId, { payerVpa: 'success@enkash' });
    expect(again.status).toBe(409);
    expect(again.code).toBe('qr_code_closed');
    expect((await call('PATCH', `/api/v0/qr-code/${qr.qrCodeId}/cancel`)).code).toBe('qr_code_closed');

    // The capture is the gateway's: merchant credited (pending settlement), on the ledger.
    const [capture] = await queryRows<{ n: string | number }>(
      t.database,
      sql`select count(*) as n from ledger_transactions where company_id = ${SANDBOX.companyId} and reference_id = ${p.transactionId}`,
    );
    expect(Number(capture!.n)).toBe(1);
    await verifyLedger();
  });

  it('a DYNAMIC QR takes one payment at a time: a slow payer blocks a second one; a failed payment leaves it open', async () => {
    const qr = await createQr({ qrType: 'DYNAMIC', amount: 25.5 });
    const failed = await pay(qr.qrCodeId, { payerVpa: 'failure@enkash' });
    expect(failed.body.payload).toMatchObject({ transactionStatus: 'FAILED', qrStatus: 'ACTIVE', closeReason: null, bankTransactionId: null });
    // Payments list newest first by sandbox time: a second later, the slow payer's is the newest.
    await advance(1);
    const slow = await pay(qr.qrCodeId, { payerVpa: 'slow@enkash', amount: 25.5 });
    expect(slow.body.payload).toMatchObject({ transactionStatus: 'PENDING_WITH_BANK', qrStatus: 'ACTIVE' });
    const before = await counts();
    const second = await pay(qr.qrCodeId, { payerVpa: 'success@enkash' });
    expect(second.status).toBe(409);
    expect(second.code).toBe('qr_payment_in_progress');
    expect(await counts()).toEqual(before);
    await advance(120);
    const got = await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`);
    expect(got).toMatchObject({ status: 'CLOSED', closeReason: 'PAID', paymentsCount: 1, amountReceived: 25.5 });
    expect(got.payments.map((x: { payerVpa: string; status: string }) => [x.payerVpa, x.status])).toEqual([
      ['slow@enkash', 'SUCCESS'],
      ['failure@enkash', 'FAILED'],
    ]);
    await verifyLedger();
  });

  it('a STATIC QR takes many payments of any amount until cancelled; cancel is repeatable; a closed QR refuses', async () => {
    const url = notifyUrl();
    const qr = await createQr({ qrType: 'STATIC', notifyUrl: url });
    expect(qr).toMatchObject({ amount: null, description: null, qrString: expectedString(qr.qrCodeId, '') });
    expect((await pay(qr.qrCodeId, { payerVpa: 'success@enkash' })).body.response_message).toBe(
      'Missing required field amount: the QR code has no fixed amount',
    );
    expect((await pay(qr.qrCodeId, { payerVpa: 'success@enkash', amount: 10 })).body.payload).toMatchObject({
      transactionStatus: 'SUCCESS',
      qrStatus: 'ACTIVE',
    });
    expect((await pay(qr.qrCodeId, { payerVpa: 'someone@okaxis', amount: 20.5 })).body.payload).toMatchObject({
      transactionStatus: 'SUCCESS',
      qrStatus: 'ACTIVE',
    });
    expect((await pay(qr.qrCodeId, { payerVpa: 'insufficient@enkash', amount: 99 })).body.payload).toMatchObject({
      transactionStatus: 'FAILED',
      txnMsg: 'Transaction failed: insufficient funds',
    });
    const notifies = await notifiesAt(url, 3);
    // Deliveries run concurrently: compare them in amount order.
    expect(notifies.map((n) => [n['amount'], n['status']]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [10, 'SUCCESS'],
      [20.5, 'SUCCESS'],
      [99, 'FAILED'],
    ]);
    expect(await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`)).toMatchObject({ status: 'ACTIVE', paymentsCount: 2, amountReceived: 30.5 });

    const cancelled = await ok('PATCH', `/api/v0/qr-code/${qr.qrCodeId}/cancel`);
    expect(cancelled).toMatchObject({ status: 'CLOSED', closeReason: 'CANCELLED', paymentsCount: 2, amountReceived: 30.5 });
    expect(await ok('PATCH', `/api/v0/qr-code/${qr.qrCodeId}/cancel`)).toEqual(cancelled);
    const before = await counts();
    const refused = await pay(qr.qrCodeId, { payerVpa: 'success@enkash', amount: 10 });
    expect(refused.body).toEqual({ response_code: 409, response_message: 'The QR code is closed (CANCELLED) and takes no payment', payload: null });
    expect(await counts()).toEqual(before);
    await verifyLedger();
  });

  it('closes a QR at closeBy on the sandbox clock (timer), then refuses payments', async () => {
    const start = await now();
    expect((await call('POST', '/api/v0/qr-code', { qrType: 'STATIC', closeBy: new Date(start.getTime() - 1000).toISOString() })).code).toBe(
      'validation_failed',
    );
    const closeBy = new Date(start.getTime() + 3600_000).toISOString();
    const qr = await createQr({ qrType: 'STATIC', amount: 15, closeBy });
    expect(qr.closeBy).toBe(closeBy);
    await advance(3599);
    expect(await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`)).toMatchObject({ status: 'ACTIVE' });
    await advance(1);
    expect(await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`)).toMatchObject({ status: 'CLOSED', closeReason: 'EXPIRED', closedAt: closeBy });
    expect((await pay(qr.qrCodeId, { payerVpa: 'success@enkash' })).code).toBe('qr_code_closed');
    expect((await call('PATCH', `/api/v0/qr-code/${qr.qrCodeId}/cancel`)).code).toBe('qr_code_closed');
  });

  it('searches QR codes by type, status and reference, newest first', async () => {
    const a = await createQr({ qrType: 'STATIC', referenceId: `S-${backend}-a` });
    await advance(1);
    const b = await createQr({ qrType: 'DYNAMIC', amount: 1, referenceId: `S-${backend}-b` });
    expect((await ok('POST', '/api/v0/qr-code/search', { referenceId: `S-${backend}-b` })).content.map((q: { qrCodeId: string }) => q.qrCodeId)).toEqual([
      b.qrCodeId,
    ]);
    const dynamicActive = await ok('POST', '/api/v0/qr-code/search', { qrType: 'DYNAMIC', statuses: ['ACTIVE'] });
    expect(dynamicActive.content.map((q: { qrCodeId: string }) => q.qrCodeId)).toEqual([b.qrCodeId]);
    const first = await ok('POST', '/api/v0/qr-code/search?limit=2', {});
    expect(first.content.map((q: { qrCodeId: string }) => q.qrCodeId)).toEqual([b.qrCodeId, a.qrCodeId]);
    expect(first.content[0]).not.toHaveProperty('qrImage');
    expect(first.totalElements).toBeGreaterThanOrEqual(2);
    expect((await call('POST', '/api/v0/qr-code/search', { statuses: ['OPEN'] })).status).toBe(400);
  });

  it('the PNG decodes back to the exact upi://pay string; the SVG is an SVG of the same QR', async () => {
    const qr = await createQr({ qrType: 'DYNAMIC', amount: 1234.5, description: 'Table 7 & tip: 10%' });
    expect(qr.qrString).toBe(expectedString(qr.qrCodeId, '&tn=Table%207%20%26%20tip%3A%2010%25&am=1234.50'));
    const decode = (png: Buffer) => {
      const image = PNG.sync.read(png);
      return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
    };
    expect(decode(Buffer.from(qr.qrImage as string, 'base64'))).toBe(qr.qrString);
    const png = await call('GET', `/api/v0/qr-code/${qr.qrCodeId}/image.png`);
    expect(png.raw.headers['content-type']).toBe('image/png');
    expect(decode(png.raw.rawPayload)).toBe(qr.qrString);

    const svg = await call('GET', `/api/v0/qr-code/${qr.qrCodeId}/image.svg`);
    expect(svg.raw.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const text = svg.raw.body;
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 (\d+) \1"/);
    expect(text.trimEnd()).toMatch(/<\/svg>$/);
    // The dark modules are one stroked path of horizontal runs (M x y, h n, m dx dy): drawn into a
    // bitmap, they must decode to the same string, so the SVG holds the QR's modules.
    const size = Number(/viewBox="0 0 (\d+)/.exec(text)![1]);
    const path = /<path stroke="#000000" d="([^"]+)"/.exec(text)![1]!;
    const scale = 8;
    const rgba = new Uint8ClampedArray(size * scale * size * scale * 4).fill(255);
    let x = 0;
    let y = 0;
    for (const [, op, a, b] of path.matchAll(/([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
      if (op === 'M') [x, y] = [Number(a), Number(b)];
      else if (op === 'm') [x, y] = [x + Number(a), y + Number(b)];
      else {
        for (let col = x; col < x + Number(a); col++) {
          for (let py = Math.floor(y) * scale; py < (Math.floor(y) + 1) * scale; py++) {
            for (let px = col * scale; px < (col + 1) * scale; px++) rgba.fill(0, (py * size * scale + px) * 4, (py * size * scale + px) * 4 + 3);
          }
        }
        x += Number(a);
      }
    }
    expect(jsQR(rgba, size * scale, size * scale)?.data).toBe(qr.qrString);
    expect((await call('GET', `/api/v0/qr-code/${qr.qrCodeId}/image?format=svg`)).raw.body).toBe(text);
    expect((await call('GET', `/api/v0/qr-code/QR0000000000000nope1/image.png`)).code).toBe('qr_code_not_found');
  });

  it('the sandbox payer is for sandbox companies only', async () => {
    const tenant = await createTenant(t.services, 'Live QR merchant', 'live.qr@example.com');
    const h = (await tenantHeaders(t.app, tenant)).merchant;
    const qr = (await call('POST', '/api/v0/qr-code', { qrType: 'STATIC' }, h)).body.payload as unknown as { qrCodeId: string };
    await t.services.identity.setSandboxMode(tenant.companyId, false);
    const res = await call('POST', `/api/v0/sandbox/qr-code/${qr.qrCodeId}/pay`, { payerVpa: 'success@enkash', amount: 1 }, h);
    expect(res.status).toBe(403);
    expect(res.code).toBe('sandbox_only');
    // Another company's QR is not found, even with a valid token.
    expect((await pay(qr.qrCodeId, { payerVpa: 'success@enkash', amount: 1 })).code).toBe('qr_code_not_found');
  });
  it('a DYNAMIC QR claim a crash left without its payment blocks only while its order can be paid', async () => {
    const qr = await createQr({ qrType: 'DYNAMIC', amount: 42 });
    // What a process killed between the claim and the UPI payment leaves: the claim and its order
    // (written together), no payment. Made through the real services, as pay() makes them.
    const at = await now();
    const claimId = `QRP${at.getTime()}crash`;
    await t.services.gateway.orders.create(
      SANDBOX.companyId,
      null,
      { merchantOrderId: claimId, amountPaise: 4200n, description: `UPI QR ${qr.qrCodeId}` },
      async (tx, order) => {
        await insertQrPayment(tx, {
          id: claimId,
          companyId: SANDBOX.companyId,
          qrCodeId: qr.qrCodeId,
          orderId: order.id,
          transactionId: null,
          payerVpa: 'success@enkash',
          amountPaise: 4200n,
          status: 'PROCESSING',
          createdAt: at,
          updatedAt: at,
        });
      },
    );
    // Until the order expires a request may still be on its way to the bank: the QR waits.
    const blocked = await pay(qr.qrCodeId, { payerVpa: 'success@enkash' });
    expect(blocked.code).toBe('qr_payment_in_progress');
    // The order's expiry (30 sandbox minutes) releases the QR, which then takes its payment.
    await advance(31 * 60);
    const paid = await pay(qr.qrCodeId, { payerVpa: 'success@enkash' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.payload).toMatchObject({ transactionStatus: 'SUCCESS', qrStatus: 'CLOSED', closeReason: 'PAID' });
    expect(await ok('GET', `/api/v0/qr-code/${qr.qrCodeId}`)).toMatchObject({ status: 'CLOSED', paymentsCount: 1, amountReceived: 42 });
    await verifyLedger();
  });
});
