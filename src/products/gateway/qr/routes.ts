import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { SandboxOnlyError } from '../../../core/clock/errors.js';
import { envelope } from '../../../core/http/envelope.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';
import { formatRupees, parseRupees } from '../../../core/money/index.js';
import { scenarioFrom } from '../../../rails/index.js';
import { upiQrPng, upiQrSvg } from '../index.js';
import { emptyBodyIsObject } from '../../../core/http/route-helpers.js';
import {
  createCustomerBody,
  createQrBody,
  customerPageResponse,
  customerResponse,
  customerSearchBody,
  errors,
  imageQuery,
  pageQuery,
  payBody,
  payResponse,
  qrCodeIdParams,
  qrPageResponse,
  qrResponse,
  qrSearchBody,
  serializeCustomer,
  serializeQr,
  serializeQrPayment,
} from './schemas.js';
import type { QrDetail, QrService } from './service.js';

const tag = { tags: ['Payment Gateway: UPI QR'] };
const company = (request: FastifyRequest) => request.principal!.companyId;
const qrCodeId = (request: FastifyRequest) => (request.params as Static<typeof qrCodeIdParams>).qrCodeId;
const rupees = (value: number | undefined, field: string) => (value === undefined ? undefined : parseRupees(value, { field }));

async function detail({ qr, payments }: QrDetail) {
  return { ...serializeQr(qr), qrImage: await upiQrPng(qr.qrString), payments: payments.map(serializeQrPayment) };
}

/** The UPI QR API (reference §2.8; paths INFERRED), in the gateway scope: docs/api/gateway-upi-qr.md. */
export function registerQrRoutes(app: FastifyInstance, qr: QrService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/v0/qr-code',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.qr.create',
        summary: 'Create UPI QR (static or dynamic)',
        body: createQrBody,
        response: { 200: qrResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const created = await qr.create(company(request), request.merchant?.accessKey ?? null, {
        qrType: b.qrType,
        customerId: b.customerId,
        amountPaise: rupees(b.amount, 'amount'),
        description: b.description,
        closeBy: b.closeBy === undefined ? undefined : new Date(b.closeBy),
        notifyUrl: b.notifyUrl,
        referenceId: b.referenceId,
      });
      return envelope(await detail({ qr: created, payments: [] }));
    },
  );

  api.post(
    '/v0/qr-code/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        ...tag,
        operationId: 'gateway.qr.search',
        summary: 'Search UPI QR',
        querystring: pageQuery,
        body: qrSearchBody,
        response: { 200: qrPageResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const page = pageOf(request.query);
      const { rows, total } = await qr.search(
        company(request),
        {
          qrType: b.qrType,
          statuses: b.statuses,
          customerId: b.customerId,
          referenceId: b.referenceId,
          createdFrom: b.createdFrom === undefined ? undefined : new Date(b.createdFrom),
          createdTo: b.createdTo === undefined ? undefined : new Date(b.createdTo),
        },
        page,
      );
      return envelope(toPage(rows.map(serializeQr), total, page));
    },
  );

  api.post(
    '/v0/qr-code/customer',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.qr.customers.create',
        summary: 'Create Customer (UPI QR)',
        body: createCustomerBody,
        response: { 200: customerResponse, ...errors },
      },
    },
    async (request) => envelope(serializeCustomer(await qr.createCustomer(company(request), request.body))),
  );

  api.post(
    '/v0/qr-code/customer/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        ...tag,
        operationId: 'gateway.qr.customers.search',
        summary: 'Search Customer (UPI QR)',
        querystring: pageQuery,
        body: customerSearchBody,
        response: { 200: customerPageResponse, ...errors },
      },
    },
    async (request) => {
      const page = pageOf(request.query);
      const { rows, total } = await qr.searchCustomers(company(request), request.body, page);
      return envelope(toPage(rows.map(serializeCustomer), total, page));
    },
  );

  api.get(
    '/v0/qr-code/:qrCodeId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.qr.get',
        summary: 'Get UPI QR (with its payments)',
        params: qrCodeIdParams,
        response: { 200: qrResponse, ...errors },
      },
    },
    async (request) => envelope(await detail(await qr.get(company(request), qrCodeId(request)))),
  );

  api.patch(
    '/v0/qr-code/:qrCodeId/cancel',
    {
      config: { scope: 'write' },
      schema: { ...tag, operationId: 'gateway.qr.cancel', summary: 'Cancel UPI QR', params: qrCodeIdParams, response: { 200: qrResponse, ...errors } },
    },
    async (request) => envelope(await detail(await qr.cancel(company(request), qrCodeId(request)))),
  );

  // The image alone, for a page or a printer: PNG (also `?format=png`) or SVG.
  const image = async (request: FastifyRequest, reply: { type(t: string): unknown }, format: 'png' | 'svg') => {
    const { qr: found } = await qr.get(company(request), qrCodeId(request));
    reply.type(format === 'png' ? 'image/png' : 'image/svg+xml');
    return format === 'png' ? Buffer.from(await upiQrPng(found.qrString), 'base64') : upiQrSvg(found.qrString);
  };
  // Images answer a body no response schema describes: untyped routes (`app`), so the typed reply does not apply.
  const imageSchema = (format: string) => ({ ...tag, params: qrCodeIdParams, response: errors, description: `The QR code as ${format}` });
  app.get(
    '/v0/qr-code/:qrCodeId/image',
    {
      config: { scope: 'read' },
      schema: { ...imageSchema('PNG (default) or SVG'), operationId: 'gateway.qr.image', summary: 'UPI QR image', querystring: imageQuery },
    },
    async (request, reply) => image(request, reply, (request.query as Static<typeof imageQuery>).format ?? 'png'),
  );
  app.get(
    '/v0/qr-code/:qrCodeId/image.png',
    { config: { scope: 'read' }, schema: { ...imageSchema('PNG'), operationId: 'gateway.qr.imagePng', summary: 'UPI QR image (PNG)' } },
    async (request, reply) => image(request, reply, 'png'),
  );
  app.get(
    '/v0/qr-code/:qrCodeId/image.svg',
    { config: { scope: 'read' }, schema: { ...imageSchema('SVG'), operationId: 'gateway.qr.imageSvg', summary: 'UPI QR image (SVG)' } },
    async (request, reply) => image(request, reply, 'svg'),
  );
}

/**
 * `POST /api/v0/sandbox/qr-code/{qrCodeId}/pay` (Tijori extension), in the platform scope: OAuth
 * and merchant tokens, sandbox companies only (as the sandbox clock).
 */
export function registerQrSandboxRoutes(app: FastifyInstance, qr: QrService, isSandboxCompany: (companyId: string) => Promise<boolean>): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/v0/sandbox/qr-code/:qrCodeId/pay',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.qr.pay',
        summary: 'A test payer pays a UPI QR (Tijori extension)',
        description:
          'Simulates a payer scanning the QR in a UPI app: a gateway order and UPI payment are made, the payer VPA (docs/sandbox.md, UPI) decides the ' +
          "outcome, and a success is captured (ledger, settlement, Payment Notify to the QR's notifyUrl). A closed QR, a wrong amount for a fixed-amount " +
          'QR or a second payment of a DYNAMIC QR is refused and nothing is written. Only for companies in sandbox mode.',
        params: qrCodeIdParams,
        body: payBody,
        response: { 200: payResponse, ...errors },
      },
    },
    async (request) => {
      if (!(await isSandboxCompany(company(request)))) throw new SandboxOnlyError('QR payments can only be simulated for a company in sandbox mode');
      const b = request.body;
      const r = await qr.pay(company(request), qrCodeId(request), { payerVpa: b.payerVpa, amountPaise: rupees(b.amount, 'amount') }, scenarioFrom(request));
      return envelope({
        qrPaymentId: r.qrPayment.id,
        qrCodeId: r.qr.id,
        orderId: r.order.id,
        transactionId: r.payment.id,
        payerVpa: r.qrPayment.payerVpa,
        amount: formatRupees(r.qrPayment.amountPaise),
        transactionStatus: r.payment.status,
        orderStatus: r.order.status,
        bankTransactionId: r.payment.bankTransactionId,
        txnMsg: r.payment.txnMsg,
        qrStatus: r.qr.status,
        closeReason: r.qr.closeReason,
      });
    },
  );
}
