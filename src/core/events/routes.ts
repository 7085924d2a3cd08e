import type { FastifyInstance, FastifyRequest } from 'fastify';
import { envelope, errorEnvelopeSchema } from '../http/envelope.js';
import type { PageRequest } from '../http/pagination.js';
import {
  configListResponse,
  configPlainResponse,
  configResponse,
  emptyResponse,
  eventDetailResponse,
  eventIdParams,
  eventListQuery,
  eventListResponse,
  replayRangeBody,
  replayRangeResponse,
  replayResponse,
  rotateBody,
  secretResponse,
  testBody,
  webhookConfigBody,
  webhookIdParams,
} from './schemas.js';
import type { EventsService, WebhookConfigInput } from './service.js';

const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 412: errorEnvelopeSchema };

/** The rotate routes' fields are all optional: a POST without a body means `{}`. */
const emptyBodyIsObject = async (request: FastifyRequest) => {
  request.body ??= {};
};
const webhooks = { tags: ['Webhooks'], security: [{ bearer: [] }] };
const eventsTag = { tags: ['Events'], security: [{ bearer: [] }] };

/** The webhook configuration API (reference §1.6) and its Tijori extensions; docs/api/webhooks.md. */
export function registerEventRoutes(api: FastifyInstance, service: EventsService): void {
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;

  api.post(
    '/v0/webhook-data',
    {
      // The answer holds a signing secret, which must never be stored by the Idempotency-Key layer.
      // A payouts API (reference §3 "Webhook"): AES-wrapped per the client's setting, as the others.
      config: { scope: 'write', idempotency: 'off', payloadEncryption: true },
      schema: {
        ...webhooks,
        operationId: 'webhooks.save',
        summary: 'Create Webhook Configuration',
        description:
          "EnKash's webhook registration. One configuration per webhookUrl: posting an existing URL updates it (headers, events, enabled, sslCertificate). " +
          'A new configuration gets a signing secret, returned once here; every delivery carries the static headers and Standard Webhooks signature headers.',
        body: webhookConfigBody,
        response: { 200: configResponse, ...errors },
      },
    },
    async (request) => {
      const { config, secret } = await service.saveConfig(company(request), request.body as WebhookConfigInput);
      return envelope({ ...config, secret });
    },
  );

  api.get(
    '/v0/webhook-data',
    {
      config: { scope: 'read', payloadEncryption: true },
      schema: { ...webhooks, operationId: 'webhooks.list', summary: 'Retrieve Webhook Data', response: { 200: configListResponse } },
    },
    async (request) => envelope(await service.listConfigs(company(request))),
  );

  api.get(
    '/v0/webhook-data/notify-secret',
    {
      config: { scope: 'write' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.notifySecret',
        summary: 'The secret that signs notifyUrl deliveries (Tijori extension)',
        response: { 200: secretResponse },
      },
    },
    async (request) => envelope(await service.getNotifySecret(company(request))),
  );

  api.post(
    '/v0/webhook-data/notify-secret/rotate',
    {
      preValidation: emptyBodyIsObject,
      // The answer holds a signing secret, which must never be stored by the Idempotency-Key layer.
      config: { scope: 'write', idempotency: 'off' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.rotateNotifySecret',
        summary: 'Rotate the notifyUrl signing secret (Tijori extension)',
        body: rotateBody,
        response: { 200: secretResponse, ...errors },
      },
    },
    async (request) => envelope(await service.rotateNotifySecret(company(request), (request.body as { overlapSeconds?: number } | undefined)?.overlapSeconds)),
  );

  api.post(
    '/v0/webhook-data/test',
    {
      config: { scope: 'write' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.test',
        summary: 'Send a WEBHOOK_TEST event to one configuration (Tijori extension)',
        body: testBody,
        response: { 200: eventDetailResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body as { webhookId: string; message?: string };
      return envelope(await service.sendTest(company(request), body.webhookId, body.message));
    },
  );

  api.get(
    '/v0/webhook-data/:webhookId',
    {
      config: { scope: 'read' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.get',
        summary: 'One webhook configuration (Tijori extension)',
        params: webhookIdParams,
        response: { 200: configPlainResponse, ...errors },
      },
    },
    async (request) => envelope(await service.getConfig(company(request), (request.params as { webhookId: string }).webhookId)),
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    api.post(
      `/v0/webhook-data/:webhookId/${action}`,
      {
        // The answer holds the decrypted static headers (credentials), which must never be stored by the Idempotency-Key layer.
        config: { scope: 'write', idempotency: 'off' },
        schema: {
          ...webhooks,
          operationId: `webhooks.${action}`,
          summary: `${enabled ? 'Enable' : 'Disable'} a webhook configuration (Tijori extension)`,
          params: webhookIdParams,
          response: { 200: configPlainResponse, ...errors },
        },
      },
      async (request) => envelope(await service.setEnabled(company(request), (request.params as { webhookId: string }).webhookId, enabled)),
    );
  }

  api.post(
    '/v0/webhook-data/:webhookId/rotate-secret',
    {
      preValidation: emptyBodyIsObject,
      // The answer holds a signing secret, which must never be stored by the Idempotency-Key layer.
      config: { scope: 'write', idempotency: 'off' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.rotateSecret',
        summary: 'Rotate the signing secret with an overlap window (Tijori extension)',
        params: webhookIdParams,
        body: rotateBody,
        response: { 200: configResponse, ...errors },
      },
    },
    async (request) => {
      const { config, secret } = await service.rotateSecret(
        company(request),
        (request.params as { webhookId: string }).webhookId,
        (request.body as { overlapSeconds?: number } | undefined)?.overlapSeconds,
      );
      return envelope({ ...config, secret });
    },
  );

  api.delete(
    '/v0/webhook-data/:webhookId',
    {
      config: { scope: 'write' },
      schema: {
        ...webhooks,
        operationId: 'webhooks.delete',
        summary: 'Delete a webhook configuration (Tijori extension)',
        params: webhookIdParams,
        response: { 200: emptyResponse, ...errors },
      },
    },
    async (request) => {
      await service.deleteConfig(company(request), (request.params as { webhookId: string }).webhookId);
      return envelope(null);
    },
  );

  api.get(
    '/v0/events',
    {
      config: { scope: 'read' },
      schema: {
        ...eventsTag,
        operationId: 'events.list',
        summary: 'List events, newest first (Tijori extension)',
        querystring: eventListQuery,
        response: { 200: eventListResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query as PageRequest & { type?: string; from?: string; to?: string };
      const filter = { ...(q.type ? { type: q.type } : {}), ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}) };
      return envelope(await service.listEvents(company(request), filter, { offset: q.offset, limit: q.limit }));
    },
  );

  api.get(
    '/v0/events/:eventId',
    {
      config: { scope: 'read' },
      schema: {
        ...eventsTag,
        operationId: 'events.get',
        summary: 'An event with its deliveries and attempts (Tijori extension)',
        params: eventIdParams,
        response: { 200: eventDetailResponse, ...errors },
      },
    },
    async (request) => envelope(await service.getEvent(company(request), (request.params as { eventId: string }).eventId)),
  );

  api.post(
    '/v0/events/:eventId/replay',
    {
      config: { scope: 'write' },
      schema: {
        ...eventsTag,
        operationId: 'events.replay',
        summary: 'Send an event again, same webhook-id (Tijori extension)',
        params: eventIdParams,
        response: { 200: replayResponse, ...errors },
      },
    },
    async (request) => envelope(await service.replayEvent(company(request), (request.params as { eventId: string }).eventId)),
  );

  api.post(
    '/v0/events/replay',
    {
      config: { scope: 'write' },
      schema: {
        ...eventsTag,
        operationId: 'events.replayRange',
        summary: 'Send every event of a time range again (Tijori extension)',
        body: replayRangeBody,
        response: { 200: replayRangeResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body as { from: string; to: string; type?: string };
      return envelope(
        await service.replayRange(company(request), { from: new Date(body.from), to: new Date(body.to), ...(body.type ? { type: body.type } : {}) }),
      );
    },
  );
}
