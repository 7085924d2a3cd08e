import { iso } from './context.js';
import type * as repo from './repository.js';

export interface EventSummary {
  eventId: string;
  type: string;
  createdOn: string;
  notifyUrl: string | null;
  payload: unknown;
}

export interface AttemptView {
  attemptNumber: number;
  attemptedAt: string;
  webhookTimestamp: number;
  url: string;
  outcome: string;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  requestHeaders: unknown;
  requestBody: string;
  responseBody: string | null;
}

export interface DeliveryView {
  deliveryId: string;
  webhookId: string | null;
  url: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  trigger: 'PUBLISH' | 'REPLAY';
  createdOn: string;
  updatedOn: string;
  attempts: AttemptView[];
}

export function toDeliveryViews(deliveries: repo.DeliveryRow[], attempts: repo.AttemptRow[]): DeliveryView[] {
  return deliveries.map((d) => ({
    deliveryId: d.id,
    webhookId: d.endpointId,
    url: d.url,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.status === 'PENDING' ? iso(d.nextAttemptAt) : null,
    lastResponseStatus: d.lastResponseStatus,
    lastError: d.lastError,
    trigger: d.trigger as 'PUBLISH' | 'REPLAY',
    createdOn: d.createdAt.toISOString(),
    updatedOn: d.updatedAt.toISOString(),
    attempts: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({
        attemptNumber: a.attemptNumber,
        attemptedAt: a.attemptedAt.toISOString(),
        webhookTimestamp: a.webhookTimestamp,
        url: a.url,
        outcome: a.outcome,
        responseStatus: a.responseStatus,
        latencyMs: a.latencyMs,
        error: a.error,
        requestHeaders: a.requestHeaders,
        requestBody: a.requestBody,
        responseBody: a.responseBody,
      })),
  }));
}

export function toSummary(row: repo.EventRow): EventSummary {
  return { eventId: row.id, type: row.type, createdOn: row.createdAt.toISOString(), notifyUrl: row.notifyUrl, payload: JSON.parse(row.body) as unknown };
}
