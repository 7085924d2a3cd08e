import type { FixtureContext, FixtureStep } from './tenant-fixture.js';

// Steps of the tenant fixture (tenant-fixture.ts, which documents them) for the products that pay
// out of the company: payouts, bill payments and payment links; and the helpers every step uses to
// read the ids collected so far.

/** The value of `name` collected first. */
export const first = (ctx: FixtureContext, name: string): string => {
  const value = ctx.ids.get(name)?.[0];
  if (value === undefined) throw new Error(`fixture: no ${name} collected yet`);
  return value;
};

/** The value of `name` collected last (the object the previous step made, when several products share the name). */
export const last = (ctx: FixtureContext, name: string): string => {
  const value = ctx.ids.get(name)?.at(-1);
  if (value === undefined) throw new Error(`fixture: no ${name} collected yet`);
  return value;
};

export const PAYOUT_BILL_LINK_STEPS: FixtureStep[] = [
  // Payouts (docs/api/payouts.md): the sandbox's simulated inward credit funds the payout balance
  // (which bill payments also spend), then a source account, a beneficiary, a transfer and a batch.
  {
    name: 'payout funds',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/payout-account/add-funds',
    body: (ctx) => ({ amount: 50_000, reference: `Funds ${ctx.marker}` }),
  },
  {
    name: 'payout source bank account',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/payout-account',
    // A per-company account number, so that B's answer holding A's would be a leak.
    body: (ctx) => ({
      accountNumber: `5${ctx.marker.replace(/\D/g, '').padStart(11, '0').slice(-11)}`,
      ifsc: 'HDFC0000001',
      accountHolderName: 'Proof Company',
    }),
  },
  {
    name: 'payout beneficiary',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/beneficiary-detail',
    body: (ctx) => ({
      beneficiaryId: `${ctx.marker}ben`,
      beneficiaryName: 'Proof Beneficiary',
      beneficiaryAccountNumber: '100000000001',
      beneficiaryIfsc: 'HDFC0000001',
      beneficiaryEmail: `${ctx.marker}@example.com`,
    }),
  },
  {
    name: 'payout transfer',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/payout-transaction',
    body: (ctx) => ({
      transactionId: `${ctx.marker}-t1`,
      beneficiaryId: first(ctx, 'beneficiaryId'),
      transferAmount: 101.5,
      transferMode: 'IMPS',
      transferRemark: `Payout ${ctx.marker}`,
    }),
  },
  {
    name: 'payout batch',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v0/payout-transaction/batch',
    body: (ctx) => ({
      batchTransactionId: `${ctx.marker}-b1`,
      transfers: [{ transactionId: `${ctx.marker}-b1-1`, beneficiaryId: first(ctx, 'beneficiaryId'), transferAmount: 12, transferMode: 'IMPS' }],
    }),
  },
  { name: 'payout transfers', auth: 'bearer', method: 'POST', url: () => '/api/v0/payout-transaction/search', body: () => ({ limit: 100 }) },
  { name: 'payout beneficiaries', auth: 'bearer', method: 'POST', url: () => '/api/v0/beneficiary-detail/search', body: () => ({ limit: 100 }) },
  // Bill payments (docs/api/bbps.md; consumer numbers of docs/sandbox.md, BBPS): a bill fetched and
  // created from the fetch (9000000001: ₹1,250.00 due), and a bill added without fetch.
  {
    name: 'bill fetch',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v2/biller/fetchOrAddBill',
    body: (ctx) => ({ billerId: 1001, circle: 'MAH', billParams: { cn: '9000000001' }, addBiller: true, remarks: `Fetch ${ctx.marker}` }),
  },
  {
    name: 'bill from the fetch',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v2/utilityPayment',
    body: (ctx) => ({
      referenceId: `${ctx.marker}-bill1`,
      companyBillerId: first(ctx, 'companyBillerId'),
      billNetAmount: 1250,
      billAmount: 1250,
      validationId: first(ctx, 'validationId'),
    }),
  },
  {
    name: 'bill without fetch',
    auth: 'bearer',
    method: 'POST',
    url: () => '/api/v2/biller/addBill',
    body: (ctx) => ({
      referenceId: `${ctx.marker}-bill2`,
      billerId: 1003,
      circle: 'TN',
      billParams: { cn: '9000000002' },
      billAmount: 99.5,
      name: 'Proof Consumer',
      remarks: `Bill ${ctx.marker}`,
    }),
  },
  { name: 'bills', auth: 'bearer', method: 'POST', url: () => '/api/v1/utilityPayment/search', body: () => ({ offset: 0, limit: 99 }) },
  // Payment links (docs/api/gateway-links.md): a link sent by e-mail (a notice in the sandbox
  // outbox), a partial payment's order started from it as its public page does, a second link
  // cancelled; the list and the outbox read back.
  {
    name: 'payment link',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/quick-collect',
    body: (ctx) => ({
      amount: 321.5,
      referenceId: `${ctx.marker}-link`,
      customerName: 'Proof Customer',
      customerEmail: `${ctx.marker}@example.com`,
      sendEmail: true,
      partialPayment: true,
      description: `link ${ctx.marker}`,
      notifyUrl: `http://127.0.0.1:9/${ctx.marker}/link`,
    }),
  },
  // The public page (HTML, outside the OpenAPI document) starts a ₹100 part: its service call, so the link has an open order.
  { name: 'payment link part started', run: async (ctx) => ({ started: await ctx.services.links.startPayment(last(ctx, 'quickCollectRequestId'), 10_000n) }) },
  {
    name: 'second payment link, cancelled',
    auth: 'merchant',
    method: 'POST',
    url: () => '/api/v0/quick-collect',
    body: (ctx) => ({ amount: 12, referenceId: `${ctx.marker}-link2`, description: `cancelled ${ctx.marker}` }),
  },
  {
    name: 'payment link cancelled',
    auth: 'merchant',
    method: 'DELETE',
    url: (ctx) => `/api/v0/quick-collect/${encodeURIComponent(last(ctx, 'quickCollectRequestId'))}`,
  },
  { name: 'payment links', auth: 'merchant', method: 'GET', url: () => '/api/v0/quick-collect?limit=100' },
  { name: 'sandbox outbox', auth: 'bearer', method: 'GET', url: () => '/api/v0/sandbox/outbox?limit=100' },
];
