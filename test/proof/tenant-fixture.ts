import type { FastifyInstance } from 'fastify';
import type { Services } from '../../src/app.js';
import type { Database } from '../../src/core/db/engine.js';
import { toJobPayload } from '../../src/products/verification/bulk/service.js';
import type { AuthKind } from '../support/openapi-routes.js';
import type { Tenant, TenantHeaders } from '../support/tenants.js';
import { sandboxFund } from '../support/ledger.js';
import { first, last, PAYOUT_BILL_LINK_STEPS } from './tenant-fixture-payouts.js';

/**
 * The objects a company owns, built through the product APIs, for the tenant-isolation matrix
 * (test/proof/isolation.test.ts, docs/testing.md). Each step is run for company A and for
 * company B; every id in the answers is collected by field name and fills the path parameters,
 * query and body fields of the same name when B calls A's objects.
 *
 * A product area that adds routes adds the calls that create its objects here (an order, a
 * payment, a refund, a payout, a bill…), so that its `{orderId}`-style parameters can be filled.
 * A route whose parameter no step produces fails the matrix until it is filled or excluded.
 */
export interface FixtureContext {
  app: FastifyInstance;
  services: Services;
  database: Database;
  tenant: Tenant;
  headers: TenantHeaders;
  /** A string unique to this company, put in every free-text field so that a leak is findable. */
  marker: string;
  /** Ids collected so far, by field name (first value first). */
  ids: Map<string, string[]>;
}

export interface ApiStep {
  name: string;
  auth: AuthKind;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (ctx: FixtureContext) => string;
  body?: (ctx: FixtureContext) => unknown;
  /** Ids of the answer also collected under another name (a refund's `transactionId` is the `refundTransactionId` of its GET). */
  also?: (answer: unknown) => Record<string, string>;
}

/** A step with no API behind it yet; it returns what the collector should read ids from. */
export interface ServiceStep {
  name: string;
  run: (ctx: FixtureContext) => Promise<unknown>;
}

export type FixtureStep = ApiStep | ServiceStep;

const payloadOf = (answer: unknown) => (answer as { payload: Record<string, string> }).payload;

/** An order and its hosted checkout opened: the transaction and its publicIdentifierKey. */
const checkoutSteps = (n: number): ApiStep[] => [
  {
    name: `checkout order ${n}`,
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/orders',
    body: (ctx) => ({
      orderId: `${ctx.marker}-co${n}`,
      amount: { value: 42 + n, currency: 'INR' },
      returnUrl: `https://shop.example/${ctx.marker}/return`,
      customerInfo: { firstName: 'Proof', phoneNumber: '9876543210' },
    }),
  },
  { name: `checkout ${n} opened`, auth: 'none', method: 'GET', url: (ctx) => `/pay/checkout/${encodeURIComponent(last(ctx, 'orderId'))}` },
];

export const TENANT_FIXTURE: FixtureStep[] = [
  { name: 'who am I', auth: 'bearer', method: 'GET', url: () => '/api/v0/me' },
  {
    name: 'webhook configuration',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/webhook-data',
    body: (ctx) => ({
      webhookUrl: `http://127.0.0.1:9/${ctx.marker}/hooks`,
      events: ['WEBHOOK_TEST'],
      companyId: ctx.tenant.companyId,
      headers: { 'x-proof-marker': ctx.marker },
    }),
  },
  {
    name: 'second webhook configuration, disabled',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/webhook-data',
    body: (ctx) => ({ webhookUrl: `http://127.0.0.1:9/${ctx.marker}/second`, events: ['WEBHOOK_TEST'], companyId: ctx.tenant.companyId, enabled: false }),
  },
  { name: 'notify secret', auth: 'bearer', method: 'GET', url: () => '/api/v0/webhook-data/notify-secret' },
  {
    name: 'test event to the webhook',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/webhook-data/test',
    body: (ctx) => ({ webhookId: first(ctx, 'webhookId'), message: `test ${ctx.marker}` }),
  },
  { name: 'events', auth: 'bearer', method: 'GET', url: () => '/api/v0/events' },
  {
    name: 'gateway settings',
    auth: 'bearer',
    method: 'PATCH',
    url: () => '/api/v0/merchant/settings',
    body: (ctx) => ({ merchantName: `Shop ${ctx.marker}` }),
  },
  // No API posts to the ledger on its own: products do. Until a product flow funds the merchant,
  // the fixture funds it as the sandbox funding helper of the ledger tests does.
  { name: 'ledger funding', run: (ctx) => sandboxFund(ctx.database.db, ctx.services.ledger, ctx.tenant.companyId, 123_456n, `fund-${ctx.marker}`) },
  // Gateway money (docs/api/gateway-refunds-settlements.md): a card payment captured, a split
  // account sharing it, a partial refund, then two days of sandbox time: the refund completes and
  // the T+1 batch settles the payment (merchant's net and the split share). These come before the
  // payments that wait for a payer, which the clock advance would time out.
  {
    name: 'gateway order paid by card',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/orders',
    body: (ctx) => ({
      orderId: `${ctx.marker}-paid`,
      amount: { value: 500, currency: 'INR' },
      description: `paid ${ctx.marker}`,
      customerInfo: { firstName: 'Proof', email: `${ctx.marker}@example.com`, phoneNumber: '9876543210' },
    }),
  },
  {
    name: 'gateway card payment captured',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/payment/submit',
    body: (ctx) => ({
      orderId: `${ctx.marker}-paid`,
      paymentMode: 'CREDIT_CARD',
      cardNumber: '4111111111111111',
      expiry: '12/30',
      cvv: '123',
      cardHolderName: `Holder ${ctx.marker}`,
    }),
  },
  {
    name: 'split settlement account',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/split-settlement/account',
    body: (ctx) => ({
      name: 'Proof Vendor',
      accountNumber: `7${ctx.marker.replace(/\D/g, '').padStart(11, '0').slice(-11)}`,
      ifsc: 'HDFC0000001',
      email: `vendor.${ctx.marker}@example.com`,
    }),
  },
  {
    name: 'split of the captured payment',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/split-settlement/edit-or-defer',
    body: (ctx) => ({ transactionId: last(ctx, 'transactionId'), splitDetails: [{ accountId: last(ctx, 'accountId'), amount: 120 }] }),
  },
  {
    name: 'gateway refund',
    auth: 'merchant',
    method: 'POST',
    url: (ctx) => `/api/v0/payment/${encodeURIComponent(last(ctx, 'transactionId'))}/refund`,
    body: (ctx) => ({ amount: 75.25, requestId: `${ctx.marker}-r1`, remarks: `refund ${ctx.marker}` }),
    also: (answer) => ({ refundTransactionId: payloadOf(answer)['transactionId']! }),
  },
  // UPI Autopay (docs/api/gateway-upi-mandates.md): an ASPRESENTED mandate approved at once, its
  // pre-debit notification, and (after the two days below) its debit, for {mandateId} and {debitId}.
  {
    name: 'UPI mandate',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/upi-mandate',
    body: (ctx) => ({
      referenceId: `${ctx.marker}-m1`,
      amount: 900,
      amountRule: 'MAX',
      currency: 'INR',
      payer: { name: `Payer ${ctx.marker}`, vpa: 'autopay.approve@enkash' },
      mandateName: `Plan ${ctx.marker}`,
      expiry: '2098-01-01T00:00:00Z',
      recurrence: { period: 'ASPRESENTED' },
      validity: { startAt: '2020-01-01T00:00:00Z', endAt: '2099-01-01T00:00:00Z' },
      description: `mandate ${ctx.marker}`,
    }),
  },
  {
    name: 'UPI mandate approved and its pre-debit notification',
    run: async (ctx) => {
      const companyId = ctx.tenant.companyId;
      const now = await ctx.services.clocks.now(companyId);
      await ctx.services.timers.advance(companyId, now);
      const { notification } = await ctx.services.mandates.debits.notify(companyId, {
        mandateId: last(ctx, 'mandateId'),
        amountPaise: 450_00n,
        executionAt: new Date(now.getTime() + 25 * 3600_000),
      });
      return { notificationId: notification.id, mandateId: notification.mandateId };
    },
  },
  {
    name: 'two days of sandbox time (refund completes, T+1 settlement)',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/sandbox/clock/advance',
    body: () => ({ seconds: 2 * 86_400 }),
  },
  {
    name: 'UPI mandate debit',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/upi-mandate/execute',
    body: (ctx) => ({ mandateId: last(ctx, 'mandateId'), amount: 450, referenceId: `${ctx.marker}-d1`, notificationId: last(ctx, 'notificationId') }),
  },
  { name: 'settlement payouts', auth: 'merchant', method: 'POST', url: () => '/api/v0/settlement-payout/search?limit=100', body: () => ({}) },
  { name: 'split accounts', auth: 'merchant', method: 'GET', url: () => '/api/v0/split-settlement/account?limit=100' },
  // E-Collect (docs/api/gateway-ecollect.md): a virtual account, an inward IMPS credit to it through
  // the sandbox route (merchant token: the platform scope takes it), and the account search.
  {
    name: 'virtual account',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/virtual-account',
    body: (ctx) => ({
      referenceId: `${ctx.marker}-va`,
      customerName: `Customer ${ctx.marker}`,
      customerEmail: `${ctx.marker}@example.com`,
      description: `va ${ctx.marker}`,
      notifyUrl: `http://127.0.0.1:9/${ctx.marker}/va`,
    }),
    // Only `…Id` fields are collected by name: the account number fills `{accountNumber}` of its GET.
    also: (answer) => ({ accountNumber: payloadOf(answer)['accountNumber']! }),
  },
  {
    name: 'virtual account credit',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/sandbox/virtual-account/credit',
    body: (ctx) => ({
      accountNumber: last(ctx, 'accountNumber'),
      amount: 321.5,
      mode: 'IMPS',
      remitterName: `Remitter ${ctx.marker}`,
      remitterAccount: '50100012345678',
      remitterIfsc: 'HDFC0000001',
      utr: `U${ctx.marker}`,
    }),
  },
  { name: 'virtual accounts', auth: 'merchant', method: 'POST', url: () => '/api/v0/virtual-account/search?limit=100', body: () => ({}) },
  {
    name: 'gateway order',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/orders',
    body: (ctx) => ({
      orderId: `${ctx.marker}-order`,
      amount: { value: 101.5, currency: 'INR' },
      description: `order ${ctx.marker}`,
      notifyUrl: `http://127.0.0.1:9/${ctx.marker}/notify`,
    }),
  },
  {
    // A RuPay card waits for its OTP, so the OTP and status routes have a live transaction.
    name: 'gateway payment awaiting its OTP',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/payment/submit',
    body: (ctx) => ({
      orderId: `${ctx.marker}-order`,
      paymentMode: 'DEBIT_CARD',
      cardNumber: '6521555555555556',
      expiry: '12/30',
      cvv: '123',
      cardHolderName: `Holder ${ctx.marker}`,
    }),
  },
  {
    name: 'second gateway order',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/orders',
    body: (ctx) => ({ orderId: `${ctx.marker}-upi`, amount: { value: 55, currency: 'INR' } }),
  },
  {
    // A UPI collect the payer never answers: the UPI status route reads it.
    name: 'gateway UPI payment pending with the bank',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/payment/submit',
    body: (ctx) => ({ orderId: `${ctx.marker}-upi`, paymentMode: 'UPI', vpa: 'pending@enkash' }),
  },
  // The hosted checkout (docs/api/gateway-checkout.md), public: an order's checkout opened (its
  // transaction and publicIdentifierKey) and paid by its UPI QR (the ekPayId) through the sandbox payer control, and a second one
  // left open with the customer's details saved.
  ...checkoutSteps(1),
  {
    name: 'checkout 1: its UPI QR shown',
    auth: 'none',
    method: 'GET',
    url: (ctx) => `/pay/checkout/qrcode/${encodeURIComponent(last(ctx, 'transactionId'))}?publicIdentifierKey=${last(ctx, 'publicIdentifierKey')}`,
  },
  {
    // Nobody scans a sandbox QR code: the checkout's sandbox payer control pays it.
    name: 'checkout 1: the sandbox payer pays its UPI QR',
    auth: 'none',
    method: 'POST',
    url: (ctx) => `/pay/checkout/sandbox/upi-payer/${encodeURIComponent(last(ctx, 'transactionId'))}?publicIdentifierKey=${last(ctx, 'publicIdentifierKey')}`,
    body: () => ({ answer: 'PAY' }),
  },
  ...checkoutSteps(2),
  {
    name: 'checkout 2: customer details',
    auth: 'none',
    method: 'PATCH',
    url: (ctx) => `/pay/checkout/customer-info/${encodeURIComponent(last(ctx, 'transactionId'))}?publicIdentifierKey=${last(ctx, 'publicIdentifierKey')}`,
    body: (ctx) => ({ customerEmail: `${ctx.marker}@example.in`, customerMobile: '9876543210' }),
  },
  // Payment buttons (docs/api/gateway-button.md): a button, and a payer's click on it (a public order).
  {
    name: 'payment button',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/payment-button',
    body: (ctx) => ({
      title: `Button ${ctx.marker}`,
      amountType: 'PAYER_ENTERED',
      minAmount: 10,
      fields: [{ name: 'customerName', label: 'Name', required: true }],
      returnUrl: `https://shop.example/${ctx.marker}/button`,
    }),
  },
  {
    name: 'payment button clicked',
    auth: 'none',
    method: 'POST',
    url: (ctx) => `/pay/button/${encodeURIComponent(last(ctx, 'buttonId'))}/orders`,
    body: (ctx) => ({ amount: 25, fields: { customerName: `Payer ${ctx.marker}` } }),
  },
  { name: 'payment buttons', auth: 'merchant', method: 'GET', url: () => '/api/v0/payment-button?limit=100' },
  // UPI QR (docs/api/gateway-upi-qr.md): a customer, a DYNAMIC QR for it paid by the sandbox payer
  // (its order, transaction and QR payment), and a STATIC QR left open.
  {
    name: 'UPI QR customer',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/qr-code/customer',
    body: (ctx) => ({ name: `Proof ${ctx.marker}`, email: `qr.${ctx.marker}@example.com` }),
  },
  {
    name: 'dynamic UPI QR',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/qr-code',
    body: (ctx) => ({
      qrType: 'DYNAMIC',
      amount: 77,
      customerId: last(ctx, 'customerId'),
      description: `QR ${ctx.marker}`,
      referenceId: `${ctx.marker}-qr1`,
      notifyUrl: `http://127.0.0.1:9/${ctx.marker}/qr`,
    }),
  },
  {
    name: 'dynamic UPI QR paid by the sandbox payer',
    auth: 'merchant',
    method: 'POST',
    url: (ctx) => `/api/v0/sandbox/qr-code/${encodeURIComponent(last(ctx, 'qrCodeId'))}/pay`,
    body: () => ({ payerVpa: 'success@enkash' }),
  },
  {
    name: 'static UPI QR',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/qr-code',
    body: (ctx) => ({ qrType: 'STATIC', description: `Shop ${ctx.marker}`, referenceId: `${ctx.marker}-qr2` }),
  },
  { name: 'ledger accounts', auth: 'bearer', method: 'GET', url: () => '/api/v0/ledger/accounts?limit=100' },
  { name: 'ledger transactions', auth: 'bearer', method: 'GET', url: () => '/api/v0/ledger/transactions?limit=100' },
  ...PAYOUT_BILL_LINK_STEPS,
  {
    name: 'GSTIN verification with a name',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/verification/gstin',
    body: (ctx) => ({ referenceId: `${ctx.marker}-gstin`, consent: 'Y', purpose: `KYC ${ctx.marker}`, gstin: '27AABCT1234E1ZS', name: `Tijori ${ctx.marker}` }),
  },
  {
    name: 'bank-account penny drop',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/verification/bank-account',
    body: (ctx) => ({ referenceId: `${ctx.marker}-penny`, consent: 'Y', purpose: `Payee ${ctx.marker}`, accountNumber: '100000000001', ifsc: 'HDFC0000001' }),
  },
  { name: 'verification checks', auth: 'bearer', method: 'POST', url: () => '/api/v0/verification/search', body: () => ({ limit: 100 }) },
  {
    // A CSV body (the API steps send JSON): the service the route calls, answered as the route answers.
    name: 'bulk verification job',
    run: async (ctx) => {
      const query = { checkType: 'PAN' as const, referenceId: `${ctx.marker}-bulk`, consent: 'Y', purpose: `Bulk ${ctx.marker}` };
      const who = { companyId: ctx.tenant.companyId, requestedBy: 'fixture', clientId: ctx.tenant.companyId, requestIp: null };
      const { job } = await ctx.services.verificationBulk.upload(query, `pan,name\nAAJPS2345Q,Ravi ${ctx.marker}\nNOTAPAN,\n`, who);
      return toJobPayload(job);
    },
  },
];
