import { AppError } from '../../src/core/errors/app-error.js';
import { parseScenario } from '../../src/rails/scenario.js';
import { TEST_CARDS } from '../../src/rails/card/test-data.js';
import type { TestApp } from '../support/app.js';
import type { TenantHeaders } from '../support/tenants.js';

/**
 * Flows that carry card data, run by the card-data scan (test/proof/card-data.test.ts, PCI-1,
 * PCI-2, PCI-3) on one database before it scans every table and log line. A product that takes
 * cards (the gateway's S2S payments, the hosted checkout, card OTP and 3-D Secure) adds its flows
 * here, through its HTTP routes, including error paths (declines, validation errors, replays).
 * Every card number and CVV a flow sends must be added to `sent`, so the scan knows what to look for.
 */
export interface CardFlowContext {
  t: TestApp;
  company: string;
  headers: TenantHeaders;
  sent: { cardNumbers: Set<string>; cvvs: Set<string> };
}

export interface CardFlow {
  name: string;
  run(ctx: CardFlowContext): Promise<void>;
}

const cvvFor = (number: string) => (number.startsWith('34') || number.startsWith('37') ? '7373' : '737');

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'none';
}

export const CARD_FLOWS: CardFlow[] = [
  {
    // Until the gateway's payments reach main, the card rail is driven as a product drives it.
    name: 'card rail: every test card, OTP, 3-D Secure, late outcomes and refused inputs',
    async run({ t, company, headers, sent }) {
      const card = t.services.rails.card;
      const db = t.database.db;
      card.onOutcome('proof.cards', async () => {});
      let n = 0;
      const call = (scenario?: string) => ({
        companyId: company,
        attemptRef: `proof_${++n}`,
        replyTo: 'proof.cards',
        exec: db,
        ...(scenario ? { scenario: parseScenario(scenario) } : {}),
      });
      for (const test of TEST_CARDS) {
        const cvv = cvvFor(test.number);
        sent.cardNumbers.add(test.number);
        sent.cvvs.add(cvv);
        const c = call();
        const first = await card.authorize(c, {
          card: { cardNumber: test.number, expiry: '12/30', cvv, cardHolderName: 'Proof Holder' },
          amountPaise: 10_000n,
        });
        if (first.status === 'otp_required') {
          await card.resendOtp(c, { authenticationId: first.authenticationId! });
          await card.submitOtp(c, { authenticationId: first.authenticationId!, otp: '000000' });
          await card.submitOtp(c, { authenticationId: first.authenticationId!, otp: '123456' });
        }
        if (first.status === 'challenge_required') await card.completeChallenge(c, { authenticationId: first.authenticationId!, passed: true });
        // The same card with spaces, a scenario that wins over the card, and a wrong CVV length.
        await card.authorize(call('decline:do_not_honour'), {
          card: { cardNumber: test.number.replace(/(\d{4})/g, '$1 ').trim(), expiry: '12/30', cvv },
          amountPaise: 100n,
        });
        if (
          (await refused(
            card.authorize(call(), { card: { cardNumber: test.number, expiry: '12/30', cvv: cvv.length === 3 ? '12' : '123' }, amountPaise: 100n }),
          )) !== 'invalid_rail_input'
        ) {
          throw new Error(`a wrong CVV length for ${test.description} was not refused`);
        }
      }
      // A number that fails Luhn, an expired card.
      sent.cardNumbers.add('4111111111111111');
      await refused(card.authorize(call(), { card: { cardNumber: '4111111111111112', expiry: '12/30', cvv: '737' }, amountPaise: 100n }));
      await card.authorize(call(), { card: { cardNumber: '4111111111111111', expiry: '01/20', cvv: '737' }, amountPaise: 100n });
      // Late outcomes (timeouts, pending) fire on the sandbox clock, through the API.
      const advance = await t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: headers.bearer, payload: { seconds: 3600 } });
      if (advance.statusCode !== 200) throw new Error(`clock advance: ${advance.statusCode} ${advance.body}`);
    },
  },
  {
    name: 'gateway: every test card through submit, OTP validate and resend, 3-D Secure, declines, refused inputs and a replay',
    async run({ t, company, headers, sent }) {
      const h = { ...headers.merchant, 'content-type': 'application/json' };
      let n = 0;
      const order = async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v0/orders',
          headers: h,
          payload: { orderId: `proof-card-${++n}`, amount: { value: 100, currency: 'INR' } },
        });
        if (res.statusCode !== 200) throw new Error(`order: ${res.statusCode} ${res.body}`);
        return res.json().payload.orderId as string;
      };
      const modeOf = { CREDIT: 'CREDIT_CARD', DEBIT: 'DEBIT_CARD', PREPAID: 'PREPAID_CARD', CORPORATE: 'CORPORATE_CARD' } as const;
      const submit = (orderId: string, cardNumber: string, cvv: string, extra: Record<string, string> = {}) => {
        const mode = modeOf[t.services.rails.card.binDetails(cardNumber.replace(/\D/g, ''))?.cardType ?? 'CREDIT'];
        return t.app.inject({
          method: 'POST',
          url: '/api/v0/payment/submit',
          headers: { ...h, ...extra },
          payload: { orderId, paymentMode: mode, cardNumber, expiry: '12/30', cvv, cardHolderName: 'Proof Holder' },
        });
      };
      for (const test of TEST_CARDS) {
        const cvv = cvvFor(test.number);
        sent.cardNumbers.add(test.number);
        sent.cvvs.add(cvv);
        const res = await submit(await order(), test.number, cvv);
        if (res.statusCode !== 200) throw new Error(`submit ${test.description}: ${res.statusCode} ${res.body}`);
        const p = res.json().payload as { transactionId: string; renderOtpPage: boolean; redirectionUrl: string | null };
        if (p.renderOtpPage) {
          await t.app.inject({ method: 'GET', url: `/api/v0/payment/${p.transactionId}/otp/resend`, headers: h });
          await t.app.inject({ method: 'POST', url: `/api/v0/payment/${p.transactionId}/otp/validate`, headers: h, payload: { otp: '000000' } });
          await t.app.inject({ method: 'POST', url: `/api/v0/payment/${p.transactionId}/otp/validate`, headers: h, payload: { otp: '123456' } });
        } else if (p.redirectionUrl !== null) {
          await t.services.gateway.payments.completeChallenge(company, p.transactionId, true);
        }
        await t.app.inject({ method: 'GET', url: `/api/v0/payment/${p.transactionId}`, headers: h });
        // Spaces in the number, a wrong CVV length (refused before an attempt), and a replayed submit.
        await submit(await order(), test.number.replace(/(\d{4})/g, '$1 ').trim(), cvv, { 'x-tijori-scenario': 'decline:do_not_honour' });
        await submit(await order(), test.number, cvv.length === 3 ? '12' : '123');
        const replayed = await order();
        await submit(replayed, test.number, cvv, { 'idempotency-key': `proof-replay-${n}` });
        await submit(replayed, test.number, cvv, { 'idempotency-key': `proof-replay-${n}` });
      }
      const luhn = await submit(await order(), '4111111111111112', '737');
      if (luhn.statusCode !== 400) throw new Error(`a Luhn failure was not refused: ${luhn.statusCode}`);
      await t.app.inject({ method: 'POST', url: '/api/v0/payment/search?limit=100', headers: h, payload: {} });
      const advance = await t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: headers.bearer, payload: { seconds: 3600 } });
      if (advance.statusCode !== 200) throw new Error(`clock advance: ${advance.statusCode} ${advance.body}`);
    },
  },
  {
    name: 'gateway: refunds of card payments (partial, the rest, a repeat, an over-refund), then settlement after two days',
    async run({ t, headers, sent }) {
      const h = { ...headers.merchant, 'content-type': 'application/json' };
      const call = async (method: 'GET' | 'POST', url: string, payload?: object, extra: Record<string, string> = {}) => {
        const res = await t.app.inject({ method, url, headers: { ...h, ...extra }, ...(payload ? { payload } : {}) });
        if (res.statusCode >= 500) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res;
      };
      let n = 0;
      for (const [number, mode] of [
        ['4111111111111111', 'CREDIT_CARD'],
        ['378282246310005', 'CREDIT_CARD'],
        ['6071000000000001', 'PREPAID_CARD'],
      ] as const) {
        const cvv = cvvFor(number);
        sent.cardNumbers.add(number);
        sent.cvvs.add(cvv);
        const order = await call('POST', '/api/v0/orders', { orderId: `proof-refund-${++n}`, amount: { value: 300, currency: 'INR' } });
        const paid = await call('POST', '/api/v0/payment/submit', {
          orderId: order.json().payload.orderId,
          paymentMode: mode,
          cardNumber: number,
          expiry: '12/30',
          cvv,
          cardHolderName: 'Proof Holder',
        });
        const txn = paid.json().payload as { transactionId: string; transactionStatus: string };
        if (txn.transactionStatus !== 'SUCCESS') throw new Error(`card ${number.slice(-4)} was not captured: ${paid.body}`);
        // A card number in the remarks is refused (card_number_in_text), also under an Idempotency-Key.
        const inRemarks = await call(
          'POST',
          `/api/v0/payment/${txn.transactionId}/refund`,
          { amount: 100, requestId: `proof-r${n}p`, remarks: `card ${number}` },
          { 'idempotency-key': `proof-refund-pan-${n}` },
        );
        if (inRemarks.statusCode !== 400) throw new Error(`a card number in refund remarks was accepted: ${inRemarks.body}`);
        const partial = await call(
          'POST',
          `/api/v0/payment/${txn.transactionId}/refund`,
          { amount: 100, requestId: `proof-r${n}a`, remarks: 'partial' },
          { 'idempotency-key': `proof-refund-${n}` },
        );
        await call(
          'POST',
          `/api/v0/payment/${txn.transactionId}/refund`,
          { amount: 100, requestId: `proof-r${n}a`, remarks: 'partial' },
          { 'idempotency-key': `proof-refund-${n}` },
        );
        await call('POST', `/api/v0/payment/${txn.transactionId}/refund`, { amount: 200.01, requestId: `proof-r${n}x`, cvv }, {});
        await call('POST', `/api/v0/payment/${txn.transactionId}/refund`, { amount: '200', requestId: `proof-r${n}b` });
        await call('GET', `/api/v0/payment/refund/${(partial.json().payload as { transactionId: string }).transactionId}`);
      }
      // The refunds complete on the rail's delay; the T+1 batch settles what is left.
      const advance = await t.app.inject({ method: 'POST', url: '/api/v0/sandbox/clock/advance', headers: headers.bearer, payload: { seconds: 2 * 86_400 } });
      if (advance.statusCode !== 200) throw new Error(`clock advance: ${advance.statusCode} ${advance.body}`);
      const settlements = await call('POST', '/api/v0/settlement-payout/search?limit=100', {});
      const first = (settlements.json().payload as { content: { settlementPayoutId: string }[] }).content[0];
      if (!first) throw new Error(`no settlement after two days: ${settlements.body}`);
      await call('GET', `/api/v0/settlement-payout/${first.settlementPayoutId}`);
    },
  },
  {
    name: 'hosted checkout: base64 card fields through /pay/charge/process, OTP and 3-D Secure on the bank pages, refused encodings',
    async run({ t, headers, sent }) {
      const b64 = (text: string) => Buffer.from(text).toString('base64');
      const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, extra: Record<string, string> = {}) => {
        const res = await t.app.inject({ method, url, headers: { 'content-type': 'application/json', ...extra }, ...(payload ? { payload } : {}) });
        if (res.statusCode >= 500) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res;
      };
      const page = async (url: string, fields: Record<string, string>) => {
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(fields).toString(),
        });
        if (res.statusCode >= 500) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
        return res;
      };
      let n = 0;
      type Detail = { transactionId: string; publicIdentifierKey: string; uniqueTransactionId: string };
      const open = async (): Promise<Detail> => {
        const order = await t.app.inject({
          method: 'POST',
          url: '/api/v0/orders',
          headers: headers.merchant,
          payload: { orderId: `proof-checkout-${++n}`, amount: { value: 150, currency: 'INR' }, returnUrl: 'https://shop.example/return' },
        });
        if (order.statusCode !== 200) throw new Error(`order: ${order.statusCode} ${order.body}`);
        return (await json('GET', `/pay/checkout/${order.json().payload.orderId}`)).json().payload as Detail;
      };
      const charge = (d: Detail, card: { cardNumber: string; cvv: string; expiry: string }) =>
        json('POST', '/pay/charge/process', {
          transactionId: d.transactionId,
          publicIdentifierKey: d.publicIdentifierKey,
          uniqueTransactionId: d.uniqueTransactionId,
          paymentDetail: { paymentMode: 'CREDIT_CARD', ...card, cardHolderName: 'Proof Holder', saveCard: false, paymentToken: null, paymentType: 'NEW_CARD' },
          surcharge: '0.00',
          surchargeGst: 18,
          popupMode: false,
        });
      const cards = [
        '4111111111111111',
        '5555555555554444',
        '378282246310005',
        '36227206271667',
        '4000000000000002',
        '4000000000009995',
        '6521555555555556',
        '6522000000000014',
        '4000000000003220',
      ];
      for (const number of cards) {
        const cvv = cvvFor(number);
        sent.cardNumbers.add(number);
        sent.cvvs.add(cvv);
        for (const challengeResult of ['pass', 'fail']) {
          const d = await open();
          const res = await charge(d, { cardNumber: b64(number), cvv: b64(cvv), expiry: b64('12/30') });
          const p = res.json().payload as { renderOtpPage: boolean; redirectionUrl: string | null } | null;
          const bank = `/pay/bank/${d.transactionId}`;
          const key = { publicIdentifierKey: d.publicIdentifierKey };
          if (p?.renderOtpPage) {
            await t.app.inject({ method: 'GET', url: `${bank}?publicIdentifierKey=${d.publicIdentifierKey}` });
            await page(`${bank}/otp`, { ...key, otp: '000000' });
            await page(`${bank}/otp/resend`, key);
            await page(`${bank}/otp`, { ...key, otp: challengeResult === 'pass' ? '123456' : '999999' });
          } else if (p?.redirectionUrl) {
            await page(`${bank}/challenge`, { ...key, result: challengeResult });
          }
          await json('GET', `/api/v0/transactions/${d.transactionId}/minimal?publicIdentifierKey=${d.publicIdentifierKey}`);
          await t.app.inject({ method: 'GET', url: `/pay/checkout/return/${d.transactionId}?publicIdentifierKey=${d.publicIdentifierKey}` });
          if (!p?.renderOtpPage && !p?.redirectionUrl) break;
        }
      }
      // Refused: fields that are not base64, a Luhn failure, a wrong CVV length, a wrong key, an expired card.
      const d = await open();
      sent.cardNumbers.add('4111111111111111');
      const refusals = [
        { cardNumber: '4111111111111111', cvv: b64('737'), expiry: b64('12/30') },
        { cardNumber: b64('4111111111111112'), cvv: b64('737'), expiry: b64('12/30') },
        { cardNumber: b64('4111111111111111'), cvv: b64('7373'), expiry: b64('12/30') },
        { cardNumber: b64('4111111111111111'), cvv: '737', expiry: b64('12/30') },
        { cardNumber: b64('4111 1111 1111 1111'), cvv: b64('737'), expiry: b64('01/20') },
      ];
      for (const card of refusals) {
        const res = await charge(d, card);
        if (res.body.includes('4111111111111111') || res.body.includes(b64('4111111111111111')))
          throw new Error(`the checkout echoed a card number: ${res.body}`);
      }
      await charge({ ...d, publicIdentifierKey: 'A'.repeat(32) }, { cardNumber: b64('4111111111111111'), cvv: b64('737'), expiry: b64('12/30') });
      await json('GET', `/pay/checkout/bin/details?bin=411111111111&transactionId=${d.transactionId}`);
    },
  },
  {
    name: "custom checkout SDK: the full number typed in the public BIN lookup's query, key-less calls from another origin, popupMode's bank pages",
    async run({ t, headers, sent }) {
      const b64 = (text: string) => Buffer.from(text).toString('base64');
      const sdk = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
        const res = await t.app.inject({
          method,
          url,
          headers: { origin: 'http://127.0.0.1:4173', ...(payload ? { 'content-type': 'application/json' } : {}) },
          ...(payload ? { payload } : {}),
        });
        if (res.statusCode >= 500) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        return res;
      };
      for (const [i, number] of ['4111111111111111', '4000000000003220', '4000000000000002'].entries()) {
        const cvv = cvvFor(number);
        sent.cardNumbers.add(number);
        sent.cvvs.add(cvv);
        const order = await t.app.inject({
          method: 'POST',
          url: '/api/v0/orders',
          headers: headers.merchant,
          payload: { orderId: `proof-sdk-${i}`, amount: { value: 80, currency: 'INR' }, returnUrl: 'https://shop.example/return' },
        });
        const d = (await sdk('GET', `/pay/checkout/${order.json().payload.orderId}`)).json().payload as Record<string, string>;
        // The SDK sends every digit typed so far, from 10 on: here the whole number.
        await sdk('GET', `/api/v0/bin/details?bin=${number}&transactionId=${d['transactionId']}`);
        await sdk('PATCH', `/pay/checkout/customer-info/${d['transactionId']}`, {
          customerEmail: null,
          customerMobile: '9876543210',
          merchantAccessKey: d['publicIdentifierKey'],
        });
        const res = await sdk('POST', '/pay/charge/process', {
          uniqueTransactionId: d['uniqueTransactionId'],
          publicIdentifierKey: d['publicIdentifierKey'],
          transactionId: d['transactionId'],
          paymentDetail: {
            cardNumber: b64(number),
            cvv: b64(cvv),
            expiry: b64('12/30'),
            paymentMode: 'CREDIT_CARD',
            cardHolderName: 'Proof Holder',
            saveCard: false,
            paymentToken: null,
            paymentType: 'NEW_CARD',
          },
          surcharge: '0.00',
          surchargeGst: 18,
          popupMode: true,
        });
        const redirect = (res.json().payload as { redirectionUrl: string | null }).redirectionUrl;
        if (redirect) {
          const url = new URL(redirect);
          await t.app.inject({ method: 'GET', url: url.pathname + url.search });
          await t.app.inject({
            method: 'POST',
            url: `${url.pathname}/challenge`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ publicIdentifierKey: d['publicIdentifierKey']!, popupMode: 'true', result: 'pass' }).toString(),
          });
        }
        await sdk('GET', `/api/v0/transactions/${d['transactionId']}/minimal`);
      }
    },
  },
  {
    // PCI-3: card data sent where it does not belong, on every error path the API has (validation,
    // unknown fields, unknown ids, auth failures, idempotent replays).
    name: 'HTTP: card numbers and CVVs in bodies, queries, paths and headers of refused requests',
    async run({ t, headers, sent }) {
      const pan = '4111111111111111';
      const amex = '378282246310005';
      sent.cardNumbers.add(pan).add(amex);
      sent.cvvs.add('737').add('7373');
      const requests = [
        {
          method: 'POST' as const,
          url: '/api/v0/webhook-data',
          headers: { ...headers.bearer, 'idempotency-key': 'proof-card-1' },
          payload: { cardNumber: pan, cvv: '737', expiry: '12/30' },
        },
        {
          method: 'POST' as const,
          url: '/api/v0/webhook-data',
          headers: { ...headers.bearer, 'idempotency-key': 'proof-card-1' },
          payload: { cardNumber: pan, cvv: '737', expiry: '12/30' },
        },
        {
          method: 'POST' as const,
          url: '/api/v0/webhook-data/test',
          headers: { ...headers.bearer, 'idempotency-key': 'proof-card-2' },
          payload: { webhookId: pan, message: `card ${amex} cvc 7373`, cvc: '7373' },
        },
        { method: 'PATCH' as const, url: '/api/v0/merchant/settings', headers: headers.bearer, payload: { card: { number: amex, security_code: '7373' } } },
        { method: 'GET' as const, url: `/api/v0/events?cardNumber=${pan}&cvv=737`, headers: headers.bearer },
        { method: 'GET' as const, url: `/api/v0/ledger/accounts/${pan}`, headers: headers.bearer },
        { method: 'GET' as const, url: `/api/v0/events/${amex}`, headers: headers.bearer },
        // Spring's invalid_token message repeats the presented token to its sender (reference §1.3), so no echo check.
        { method: 'GET' as const, url: '/api/v0/me', headers: { authorization: `Bearer ${pan}` }, echoes: true },
        { method: 'GET' as const, url: '/api/v0/merchant/payment-modes', headers: { authorization: `Bearer ${pan}`, merchantaccesskey: amex } },
        { method: 'POST' as const, url: '/api/v0/merchant/token', payload: { accessKey: pan, secretKey: '737' } },
        {
          method: 'POST' as const,
          url: '/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${pan}:737`).toString('base64')}` },
          payload: `grant_type=password&username=${pan}&password=737`,
        },
      ];
      for (const req of requests) {
        const { echoes: _, ...request } = { echoes: false, ...req };
        const res = await t.app.inject(request);
        if (res.statusCode >= 500) throw new Error(`${req.method} ${req.url}: ${res.statusCode}`);
        if (!('echoes' in req) && (res.body.includes(pan) || res.body.includes(amex)))
          throw new Error(`${req.method} ${req.url} echoed a card number: ${res.body}`);
      }
    },
  },
];
