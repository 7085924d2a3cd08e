import { X509Certificate } from 'node:crypto';
import { withTransaction } from '../db/transaction.js';
import { newId } from '../ids/ids.js';
import { iso, type EventsContext } from './context.js';
import { InvalidCompanyIdError, InvalidWebhookConfigError, WebhookConfigNotFoundError, WebhookTargetForbiddenError } from './errors.js';
import { isReservedHeader } from './model.js';
import * as repo from './repository.js';
import { newSigningSecret } from './signing.js';
import { TargetForbidden, resolveTarget } from './ssrf-guard.js';

const MAX_HEADERS = 20;

export interface WebhookConfigInput {
  companyId: string;
  webhookUrl: string;
  headers?: Record<string, string>;
  sslCertificate?: string | null;
  events: string[];
  enabled?: boolean;
}

/** A webhook configuration as the API shows it (static headers included: the owner set them). */
export interface WebhookConfig {
  webhookId: string;
  companyId: string;
  webhookUrl: string;
  headers: Record<string, string>;
  sslCertificate: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
  createdOn: string;
  updatedOn: string;
}

/**
 * Webhook configurations (EnKash's `webhook-data`, reference §1.6) and the signing secrets: the
 * company's endpoints with their static headers and secret rotation, and the notify secret that
 * signs deliveries to per-request notifyUrls.
 */
export function createConfigs(ctx: EventsContext) {
  const { db, clocks, catalogue, secretsKey, endpointContext, notifyContext, findConfigRow, notifySecretRow, overlapSeconds } = ctx;

  function toConfig(row: repo.EndpointRow, sandboxNow: Date): WebhookConfig {
    const overlapLive = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > sandboxNow;
    return {
      webhookId: row.id,
      companyId: row.companyId,
      webhookUrl: row.url,
      headers: JSON.parse(secretsKey.open(row.headersSealed, endpointContext(row.id, 'headers'))) as Record<string, string>,
      sslCertificate: row.sslCertificate,
      events: row.events,
      enabled: row.enabled,
      disabledReason: row.disabledReason,
      previousSecretExpiresAt: overlapLive ? iso(row.previousSecretExpiresAt) : null,
      createdOn: row.createdAt.toISOString(),
      updatedOn: row.updatedAt.toISOString(),
    };
  }

  async function assertTargetAllowed(companyId: string, url: string, param: string): Promise<void> {
    const sandbox = (await ctx.isSandboxCompany(companyId)) ?? false;
    // A sandbox company may target anything, and an offline sandbox cannot resolve public names:
    // its URL is only parsed here (validateConfig) and resolved when a delivery connects.
    if (sandbox) return;
    try {
      await resolveTarget(url, sandbox, ctx.resolver);
    } catch (err) {
      if (err instanceof TargetForbidden) throw new WebhookTargetForbiddenError(err.message.replace(/^webhookUrl/, param), { param });
      throw err;
    }
  }

  function validateConfig(principalCompanyId: string, input: WebhookConfigInput): { url: string; headers: Record<string, string>; events: string[] } {
    // EnKash's body carries the companyId; another company's id is its 412 "Invalid Company ID" (reference §1.4).
    if (input.companyId !== principalCompanyId) throw new InvalidCompanyIdError('Invalid Company ID', { param: 'companyId' });
    let url: URL;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      throw new InvalidWebhookConfigError('webhookUrl must be an absolute http or https URL', { param: 'webhookUrl' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidWebhookConfigError('webhookUrl must be an absolute http or https URL', { param: 'webhookUrl' });
    }
    if (url.username || url.password) throw new InvalidWebhookConfigError('webhookUrl must not contain credentials', { param: 'webhookUrl' });
    if (url.hash) throw new InvalidWebhookConfigError('webhookUrl must not contain a fragment', { param: 'webhookUrl' });
    const headers = input.headers ?? {};
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) throw new InvalidWebhookConfigError(`headers may have at most ${MAX_HEADERS} entries`, { param: 'headers' });
    const seen = new Set<string>();
    for (const name of names) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name))
        throw new InvalidWebhookConfigError(`headers.${name} is not a valid header name`, { param: 'headers' });
      if (isReservedHeader(name))
        throw new InvalidWebhookConfigError(`headers.${name} is set by Tijori on every delivery and cannot be configured`, { param: 'headers' });
      if (seen.has(name.toLowerCase())) throw new InvalidWebhookConfigError(`headers.${name} is given twice`, { param: 'headers' });
      seen.add(name.toLowerCase());
      const value = headers[name]!;
      if (typeof value !== 'string' || value.length > 2000 || /[\r\n\0]/.test(value)) {
        throw new InvalidWebhookConfigError(`headers.${name} must be a string of at most 2000 characters without line breaks`, { param: 'headers' });
      }
    }
    if (input.events.length === 0) throw new InvalidWebhookConfigError('events must name at least one event', { param: 'events' });
    for (const type of input.events) {
      if (!catalogue.has(type)) throw new InvalidWebhookConfigError(`events: unknown event ${type} (see docs/events.md)`, { param: 'events' });
    }
    if (input.sslCertificate) {
      try {
        new X509Certificate(input.sslCertificate);
      } catch {
        throw new InvalidWebhookConfigError('sslCertificate must be a PEM certificate', { param: 'sslCertificate' });
      }
    }
    return { url: url.toString(), headers, events: [...new Set(input.events)].sort() };
  }

  return {
    /**
     * Checks a per-request notifyUrl when a product accepts it (e.g. Create Order), so a live
     * company is told at once that a private target will be refused. Throws webhook_target_forbidden.
     */
    async checkNotifyUrl(companyId: string, notifyUrl: string, param = 'notifyUrl'): Promise<void> {
      await assertTargetAllowed(companyId, notifyUrl, param);
    },

    /**
     * `POST /api/v0/webhook-data`: creates the configuration of `webhookUrl`, or updates it when
     * the company already has one for that URL. The signing secret is returned only on creation.
     * Throws invalid_company_id, invalid_webhook_config, webhook_target_forbidden.
     */
    async saveConfig(principalCompanyId: string, input: WebhookConfigInput): Promise<{ config: WebhookConfig; secret: string | null; created: boolean }> {
      const { url, headers, events } = validateConfig(principalCompanyId, input);
      const companyId = principalCompanyId;
      await assertTargetAllowed(companyId, url, 'webhookUrl');
      return withTransaction(db, async (tx) => {
        const now = await clocks.now(companyId, tx);
        const enabled = input.enabled ?? true;
        const existing = await repo.findEndpointByUrl(tx, companyId, url);
        if (existing) {
          const row = await repo.updateEndpoint(tx, companyId, existing.id, {
            headersSealed: secretsKey.seal(JSON.stringify(headers), endpointContext(existing.id, 'headers')),
            sslCertificate: input.sslCertificate ?? null,
            events,
            enabled,
            disabledReason: enabled ? null : 'Disabled by the company',
            updatedAt: now,
          });
          return { config: toConfig(row!, now), secret: null, created: false };
        }
        const id = newId('whe', now);
        const secret = newSigningSecret();
        const row: repo.EndpointRow = {
          id,
          companyId,
          url,
          headersSealed: secretsKey.seal(JSON.stringify(headers), endpointContext(id, 'headers')),
          sslCertificate: input.sslCertificate ?? null,
          events,
          enabled,
          disabledReason: enabled ? null : 'Disabled by the company',
          secretSealed: secretsKey.seal(secret, endpointContext(id, 'secret')),
          previousSecretSealed: null,
          previousSecretExpiresAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertEndpoint(tx, row);
        return { config: toConfig(row, now), secret, created: true };
      });
    },

    async listConfigs(companyId: string): Promise<WebhookConfig[]> {
      const now = await clocks.now(companyId);
      return (await repo.listEndpoints(db, companyId)).map((r) => toConfig(r, now));
    },

    /** Throws webhook_config_not_found. */
    async getConfig(companyId: string, webhookId: string): Promise<WebhookConfig> {
      return toConfig(await findConfigRow(companyId, webhookId), await clocks.now(companyId));
    },

    /** Enables or disables a configuration; a disabled one receives nothing. Throws webhook_config_not_found. */
    async setEnabled(companyId: string, webhookId: string, enabled: boolean): Promise<WebhookConfig> {
      const now = await clocks.now(companyId);
      const current = await findConfigRow(companyId, webhookId);
      if (enabled && !current.enabled) await assertTargetAllowed(companyId, current.url, 'webhookUrl');
      const row = await repo.updateEndpoint(db, companyId, webhookId, { enabled, disabledReason: enabled ? null : 'Disabled by the company', updatedAt: now });
      if (!row) throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
      return toConfig(row, now);
    },

    /** Deletes a configuration; its pending deliveries end FAILED without another attempt. Throws webhook_config_not_found. */
    async deleteConfig(companyId: string, webhookId: string): Promise<void> {
      if (!(await repo.deleteEndpoint(db, companyId, webhookId)))
        throw new WebhookConfigNotFoundError(`No webhook configuration ${webhookId}`, { param: 'webhookId' });
    },

    /**
     * Replaces the signing secret. For `overlapSeconds` of sandbox time every delivery carries
     * two signatures (new and old), so receivers can switch without losing a delivery; after
     * that only the new one. Throws webhook_config_not_found, invalid_webhook_config.
     */
    async rotateSecret(companyId: string, webhookId: string, overlap?: number): Promise<{ config: WebhookConfig; secret: string }> {
      const seconds = overlapSeconds(overlap);
      return withTransaction(db, async (tx) => {
        const row = await findConfigRow(companyId, webhookId, tx, true);
        const now = await clocks.now(companyId, tx);
        const secret = newSigningSecret();
        const old = secretsKey.open(row.secretSealed, endpointContext(row.id, 'secret'));
        const updated = await repo.updateEndpoint(tx, companyId, webhookId, {
          secretSealed: secretsKey.seal(secret, endpointContext(row.id, 'secret')),
          previousSecretSealed: seconds > 0 ? secretsKey.seal(old, endpointContext(row.id, 'previous-secret')) : null,
          previousSecretExpiresAt: seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null,
          updatedAt: now,
        });
        return { config: toConfig(updated!, now), secret };
      });
    },

    /** The company-level secret that signs deliveries to per-request notifyUrls (created on first use). */
    async getNotifySecret(companyId: string): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
      const row = await notifySecretRow(companyId, db);
      const now = await clocks.now(companyId);
      const live = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
      return {
        secret: secretsKey.open(row.secretSealed, notifyContext(companyId, 'secret')),
        previousSecretExpiresAt: live ? iso(row.previousSecretExpiresAt) : null,
      };
    },

    /** Rotates the notify secret with an overlap window, as rotateSecret. */
    async rotateNotifySecret(companyId: string, overlap?: number): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
      const seconds = overlapSeconds(overlap);
      return withTransaction(db, async (tx) => {
        await notifySecretRow(companyId, tx);
        const row = (await repo.findNotifySecret(tx, companyId, true))!;
        const now = await clocks.now(companyId, tx);
        const secret = newSigningSecret();
        const old = secretsKey.open(row.secretSealed, notifyContext(companyId, 'secret'));
        const expires = seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null;
        await repo.updateNotifySecret(tx, companyId, {
          secretSealed: secretsKey.seal(secret, notifyContext(companyId, 'secret')),
          previousSecretSealed: expires ? secretsKey.seal(old, notifyContext(companyId, 'previous-secret')) : null,
          previousSecretExpiresAt: expires,
          updatedAt: now,
        });
        return { secret, previousSecretExpiresAt: iso(expires) };
      });
    },
  };
}
