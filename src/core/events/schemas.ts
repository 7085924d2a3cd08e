import { Type } from 'typebox';
import { envelopeSchema } from '../http/envelope.js';
import { pageQueryProperties, pageSchema } from '../http/pagination.js';

/** Route schemas of the webhook configuration and events APIs: validation and /openapi.json. */
const headerMap = Type.Record(Type.String(), Type.String(), {
  description: 'Static headers sent on every delivery (reference §1.6); `webhook-*`, `content-type` and other transport headers cannot be set',
  examples: [{ 'x-api-key': 'my-receiver-key' }],
});

export const webhookConfigBody = Type.Object(
  {
    headers: Type.Optional(headerMap),
    webhookUrl: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'http or https URL that receives the POSTs',
      examples: ['https://example.com/enkash/webhooks'],
    }),
    sslCertificate: Type.Optional(
      Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()], {
        description: 'PEM certificate to trust for an https webhookUrl (e.g. self-signed); optional',
      }),
    ),
    events: Type.Array(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }), {
      minItems: 1,
      maxItems: 200,
      description: 'Event names from docs/events.md',
      examples: [['WEBHOOK_TEST']],
    }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    companyId: Type.String({ description: 'Must be the company of the bearer token, else 412 "Invalid Company ID"', examples: ['CEK1GZBO6A'] }),
  },
  { additionalProperties: false },
);

export const webhookConfig = Type.Object({
  webhookId: Type.String({ examples: ['whe_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX'] }),
  companyId: Type.String(),
  webhookUrl: Type.String(),
  headers: headerMap,
  sslCertificate: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why it is disabled (by the company, or after a 410 Gone)' }),
  previousSecretExpiresAt: Type.Union([Type.String(), Type.Null()], { description: 'While a rotation overlap lasts: when the old secret stops being used' }),
  createdOn: Type.String(),
  updatedOn: Type.String(),
});

const configWithSecret = Type.Object({
  ...webhookConfig.properties,
  secret: Type.Union([Type.String(), Type.Null()], { description: 'The signing secret (`whsec_…`), shown when created or rotated; null on an update' }),
});

export const configResponse = envelopeSchema(configWithSecret, 'The configuration (and its secret when new)');
export const configPlainResponse = envelopeSchema(webhookConfig, 'The configuration');
export const configListResponse = envelopeSchema(Type.Array(webhookConfig), "The company's webhook configurations");

export const webhookIdParams = Type.Object({ webhookId: Type.String({ pattern: '^whe_[0-9A-Z]{26}$' }) });
export const eventIdParams = Type.Object({ eventId: Type.String({ pattern: '^evt_[0-9A-Z]{26}$' }) });

export const rotateBody = Type.Object(
  { overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800, description: 'How long the old secret keeps signing too (default 86400)' })) },
  { additionalProperties: false },
);

export const secretResponse = envelopeSchema(
  Type.Object({ secret: Type.String(), previousSecretExpiresAt: Type.Union([Type.String(), Type.Null()]) }),
  'The notify-URL signing secret',
);

export const testBody = Type.Object(
  { webhookId: Type.String({ pattern: '^whe_[0-9A-Z]{26}$' }), message: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

const eventSummary = Type.Object({
  eventId: Type.String({ description: 'Also the `webhook-id` header of every delivery', examples: ['evt_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX'] }),
  type: Type.String(),
  createdOn: Type.String(),
  notifyUrl: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown({ description: 'The delivered body' }),
});

const attempt = Type.Object({
  attemptNumber: Type.Integer(),
  attemptedAt: Type.String({ description: 'Sandbox time' }),
  webhookTimestamp: Type.Integer({ description: 'The webhook-timestamp header sent (unix seconds)' }),
  url: Type.String(),
  outcome: Type.String({ enum: ['SUCCEEDED', 'FAILED'] }),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  requestHeaders: Type.Record(Type.String(), Type.String(), { description: 'Static header values are redacted' }),
  requestBody: Type.String({ description: 'First 4 KiB' }),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'First 4 KiB' }),
});

const delivery = Type.Object({
  deliveryId: Type.String(),
  webhookId: Type.Union([Type.String(), Type.Null()], { description: 'Null for a notifyUrl delivery' }),
  url: Type.String(),
  status: Type.String({ enum: ['PENDING', 'SENDING', 'SUCCEEDED', 'FAILED'] }),
  attemptCount: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastResponseStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  trigger: Type.String({ enum: ['PUBLISH', 'REPLAY'], description: 'PUBLISH: the event was published (or tested); REPLAY: a replay' }),
  createdOn: Type.String(),
  updatedOn: Type.String(),
  attempts: Type.Array(attempt),
});

export const eventListQuery = Type.Object(
  {
    ...(pageQueryProperties as unknown as Record<string, ReturnType<typeof Type.Integer>>),
    type: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (sandbox time)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (sandbox time)' })),
  },
  { additionalProperties: false },
);

export const eventListResponse = envelopeSchema(pageSchema(eventSummary), 'A page of events, newest first');
export const eventDetailResponse = envelopeSchema(
  Type.Object({ ...eventSummary.properties, deliveries: Type.Array(delivery) }),
  'The event with its deliveries and attempts',
);

export const replayResponse = envelopeSchema(Type.Object({ eventId: Type.String(), deliveryIds: Type.Array(Type.String()) }), 'The new deliveries');
export const replayRangeBody = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    type: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' })),
  },
  { additionalProperties: false },
);
export const replayRangeResponse = envelopeSchema(
  Type.Object({ events: Type.Array(Type.Object({ eventId: Type.String(), deliveryIds: Type.Array(Type.String()) })) }),
  'The replayed events and their new deliveries',
);
export const emptyResponse = envelopeSchema(Type.Null(), 'Done');
