import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { envelope } from '../../core/http/envelope.js';
import { pageOf, toPage } from '../../core/http/pagination.js';
import { errors, outboxQuery, outboxResponse, serializeNotice } from './schemas.js';
import type { NoticesService } from './service.js';

/** `GET /api/v0/sandbox/outbox` (platform scope: OAuth or merchant tokens; docs/api/gateway-links.md). */
export function registerOutboxRoutes(app: FastifyInstance, notices: NoticesService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/v0/sandbox/outbox',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.outbox',
        summary: 'SMS and e-mail notices recorded instead of sent (Tijori extension)',
        querystring: outboxQuery,
        response: { 200: outboxResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const page = pageOf(q);
      const { rows, total } = await notices.list(
        request.principal!.companyId,
        { channel: q.channel, relatedId: q.relatedId, recipient: q.recipient, template: q.template },
        page,
      );
      return envelope(toPage(rows.map(serializeNotice), total, page));
    },
  );
}
