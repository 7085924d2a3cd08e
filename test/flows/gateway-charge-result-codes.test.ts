import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/core/db/transaction.js';
import { backend } from '../support/app.js';
import { checkoutHarness, type Detail } from '../support/checkout-harness.js';

// Input-validation rejections of POST /pay/charge/process carry resultCode 156 or 158 (reference
// §1.4, CONFIRMED-SDK; ADR 0037): HTTP 200 and a bare body the checkout SDK reads as "fix the form
// and resubmit", changing nothing; every other error keeps the envelope.

describe(`checkout charge: resultCode 156/158 on input-validation rejections (${backend})`, () => {
  const { state, b64, json, createOrder, open, cardCharge } = checkoutHarness();

  const card = (d: Detail, detail: Record<string, unknown>) =>
    json('POST', '/pay/charge/process', {
      transactionId: d.transactionId,
      publicIdentifierKey: d.publicIdentifierKey,
      uniqueTransactionId: d.uniqueTransactionId,
      paymentDetail: { paymentMode: 'CREDIT_CARD', cardNumber: b64('4111111111111111'), cvv: b64('123'), expiry: b64('12/30'), ...detail },
      surcharge: '0.00',
      surchargeGst: 18,
      popupMode: true,
    });
  /** What a rejection must leave as it was: the order's row and its attempts. */
  const rows = async (orderId: string) => ({
    order: await queryRows(state.t.database.db, sql`select status, attempts_used, updated_at from gateway_orders where id = ${orderId}`),
    payments: await queryRows(state.t.database.db, sql`select id, status, step, updated_at from gateway_payments where order_id = ${orderId} order by id`),
  });
  const settings = (body: object) =>
    state.t.app.inject({ method: 'PATCH', url: '/api/v0/merchant/settings', headers: state.merchant, payload: body }).then((r) => r.json());

  it('answers 156 for a missing or malformed card field and 158 for a mode the merchant does not take; nothing changes; the card then pays', async () => {
    const orderId = await createOrder(120);
    const d = await open(orderId);
    const before = await rows(orderId);
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ cardNumber: b64('4111111111111112') }, 156, 'validation_failed', 'Invalid field cardNumber: fails the Luhn check'],
      [{ cvv: b64('12') }, 156, 'checkout_card_encoding', 'cvv'],
      [{ expiry: b64('13/30') }, 156, 'validation_failed', 'expiry'],
      [{ cardNumber: '!!not base64!!' }, 156, 'checkout_card_encoding', 'Invalid field paymentDetail.cardNumber: must be base64 of digits'],
      [{ paymentMode: 'GOLD_COINS' }, 156, 'validation_failed', 'paymentDetail.paymentMode'],
    ];
    for (const [detail, resultCode, code, message] of cases) {
      const res = await card(d, detail);
      expect([res.status, res.headers['x-error-code']], JSON.stringify(detail)).toEqual([200, code]);
      expect(res.body).toEqual({
        transactionId: d.transactionId,
        transactionStatus: null,
        redirectionUrl: null,
        resultCode,
        resultMessage: expect.stringContaining(message),
        error: null,
      });
      // No card number in the answer.
      expect(JSON.stringify(res.body)).not.toContain('411111111111111');
    }

    const modes = (await settings({})).payload.enabledModes as string[];
    await settings({ enabledModes: modes.filter((m) => m !== 'CREDIT_CARD') });
    try {
      const off = await card(d, {});
      expect([off.status, off.headers['x-error-code'], off.body.resultCode, off.body.error]).toEqual([200, 'payment_mode_not_enabled', 158, null]);
      expect(off.body.resultMessage).toContain('CREDIT_CARD');
    } finally {
      await settings({ enabledModes: modes });
    }
    expect(await rows(orderId)).toEqual(before);
    expect((await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?publicIdentifierKey=${d.publicIdentifierKey}`)).body.payload).toMatchObject({
      orderStatus: 'CHECKOUT_RENDERED',
    });

    // The attempt was left open: the same transaction pays with a good card.
    const paid = await cardCharge(d, '4111111111111111');
    expect(paid.body).toMatchObject({ response_code: 0, payload: { transactionId: d.transactionId, transactionStatus: 'SUCCESS', orderStatus: 'PAID' } });
  });

  it('answers 158 for a netbanking mode that is off and for an unknown bank code; nothing changes; the bank then pays', async () => {
    const orderId = await createOrder(75);
    const d = await open(orderId);
    const before = await rows(orderId);
    const netbanking = (bankCode: string) =>
      json('POST', '/pay/charge/process', {
        transactionId: d.transactionId,
        publicIdentifierKey: d.publicIdentifierKey,
        paymentDetail: { paymentMode: 'NET_BANKING', bankCode },
        surcharge: '0.00',
        surchargeGst: 18,
      });
    const bare = (code: string) => ({
      transactionId: d.transactionId,
      transactionStatus: null,
      redirectionUrl: null,
      resultCode: 158,
      resultMessage: code,
      error: null,
    });
    const unknown = await netbanking('NOPE');
    expect([unknown.status, unknown.headers['x-error-code']]).toEqual([200, 'checkout_code_not_offered']);
    expect(unknown.body).toEqual(bare('Unknown bank code NOPE'));
    const modes = (await settings({})).payload.enabledModes as string[];
    await settings({ enabledModes: modes.filter((m) => m !== 'NET_BANKING') });
    try {
      const off = await netbanking('HDFC');
      expect([off.status, off.headers['x-error-code']]).toEqual([200, 'payment_mode_not_enabled']);
      expect(off.body).toEqual(bare('Payment mode NET_BANKING is not enabled for this merchant'));
    } finally {
      await settings({ enabledModes: modes });
    }
    expect(await rows(orderId)).toEqual(before);
    const ok = await netbanking('HDFC');
    expect(ok.body).toMatchObject({ response_code: 0, payload: { transactionId: d.transactionId, redirectionUrl: expect.stringContaining('bankCode=HDFC') } });
  });

  it('keeps the envelope for errors that are not input validation (unknown transaction, a paid order)', async () => {
    const orderId = await createOrder(40);
    const d = await open(orderId);
    const unknown = await card({ ...d, transactionId: 'TXN0000000000000nope0' }, {});
    expect([unknown.status, unknown.headers['x-error-code'], unknown.body.payload]).toEqual([404, 'payment_not_found', null]);
    expect(unknown.body.response_code).toBe(404);
    await cardCharge(d, '4111111111111111');
    const again = await card(d, {});
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.body).toEqual({ response_code: again.status, response_message: expect.any(String), payload: null });
  });
});
