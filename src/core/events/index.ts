/** Events and webhooks: the catalogue, the transactional outbox, signed delivery, replay. */
export { createEventsService, DELIVERY_JOB, RETRY_TIMER, type EventsDeps, type EventsService, type WebhookConfig } from './service.js';
export { registerEventRoutes } from './routes.js';
export { CORE_EVENTS, EventCatalogue, WEBHOOK_TEST, defineEvent, renderEventsDoc, type EventDefinition } from './catalogue.js';
export { SecretsKey } from './secrets-key.js';
export { SecretsKeyMismatchError } from './errors.js';
export { sign, signatureHeader, verify, newSigningSecret } from './signing.js';
export type { DeliveryHttpSettings } from './transport.js';
export type { Resolver } from './ssrf-guard.js';
