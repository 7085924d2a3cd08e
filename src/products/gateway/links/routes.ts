import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { envelope } from '../../../core/http/envelope.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';
import { completeIdempotency } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { publicBase } from '../../../core/http/route-helpers.js';
import { createLinkBody, errors, linkIdParams, linkPageResponse, linkResponse, linkSearchQuery, serializeLink } from './schemas.js';
import type { LinksService } from './service.js';

const tag = { tags: ['Payment Gateway: payment links'] };

/** Payment link routes under /api, gateway scope (reference §2.10; docs/api/gateway-links.md). */
export function registerLinkRoutes(app: FastifyInstance, links: LinksService, options: { publicUrl?: string | undefined }): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;
  const idOf = (request: { params: Static<typeof linkIdParams> }) => request.params.quickCollectRequestId;

  api.post(
    '/v0/quick-collect',
    {
      config: { scope: 'write' },
      schema: { ...tag, operationId: 'gateway.links.create', summary: 'Create Payment Link', body: createLinkBody, response: { 200: linkResponse, ...errors } },
    },
    async (request) => {
      const b = request.body;
      const link = await links.create(
        company(request),
        request.merchant?.accessKey ?? null,
        {
          amountPaise: parseRupees(b.amount),
          referenceId: b.referenceId,
          customerName: b.customerName,
          customerEmail: b.customerEmail,
          customerMobile: b.customerMobile,
          description: b.description,
          dueDate: b.dueDate === undefined ? undefined : new Date(b.dueDate),
          expiryDate: b.expiryDate === undefined ? undefined : new Date(b.expiryDate),
          notifyUrl: b.notifyUrl,
          sendSms: b.sendSms,
          sendEmail: b.sendEmail,
          partialPayment: b.partialPayment,
          minPartialPaise: b.minPartialAmount === undefined ? undefined : parseRupees(b.minPartialAmount, { field: 'minPartialAmount' }),
        },
        publicBase(request, options.publicUrl),
        (tx, created) => completeIdempotency(tx, request, 200, envelope(serializeLink(created))).then(() => undefined),
      );
      return envelope(serializeLink(link));
    },
  );

  api.get(
    '/v0/quick-collect/:quickCollectRequestId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.links.get',
        summary: 'Get Payment Link Details',
        params: linkIdParams,
        response: { 200: linkResponse, ...errors },
      },
    },
    async (request) => {
      const { link, payments } = await links.get(company(request), idOf(request));
      return envelope(serializeLink(link, payments));
    },
  );

  api.delete(
    '/v0/quick-collect/:quickCollectRequestId',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.links.cancel',
        summary: 'Delete Payment Link (cancel it)',
        params: linkIdParams,
        response: { 200: linkResponse, ...errors },
      },
    },
    async (request) => envelope(serializeLink(await links.cancel(company(request), idOf(request)))),
  );

  api.get(
    '/v0/quick-collect',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.links.search',
        summary: 'List payment links (Tijori extension)',
        querystring: linkSearchQuery,
        response: { 200: linkPageResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const page = pageOf(q);
      const { rows, total } = await links.search(company(request), { statuses: q.status ? [q.status] : undefined, referenceId: q.referenceId }, page);
      return envelope(
        toPage(
          rows.map((l) => serializeLink(l)),
          total,
          page,
        ),
      );
    },
  );
}
