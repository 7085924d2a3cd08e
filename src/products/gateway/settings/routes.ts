import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { envelope, envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import type { Database } from '../../../core/db/engine.js';
import type { NetbankingRail, WalletRail } from '../../../rails/index.js';
import { paymentModesDetails, paymentModesPayload, settingsPatchBody, settingsPayload, settingsToWire } from './schemas.js';
import type { GatewaySettingsService } from './service.js';

export interface SettingsRouteDeps {
  database: Database;
  settings: GatewaySettingsService;
  rails: { netbanking: NetbankingRail; wallet: WalletRail };
}

/** Tijori extension: read and change the company's gateway settings (merchant or OAuth token). */
export function registerSettingsRoutes(app: FastifyInstance, deps: SettingsRouteDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { database, settings } = deps;
  const tags = ['Payment Gateway: settings'];
  api.get(
    '/v0/merchant/settings',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        operationId: 'merchant.settings.get',
        summary: 'The company’s gateway settings (Tijori extension)',
        response: { 200: envelopeSchema(settingsPayload) },
      },
    },
    async (request) => envelope(settingsToWire(await settings.get(database.db, request.principal!.companyId))),
  );
  api.patch(
    '/v0/merchant/settings',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        operationId: 'merchant.settings.update',
        summary: 'Change the company’s gateway settings (Tijori extension)',
        description: 'Only the fields sent change; `feeRules` replaces the whole rule set; `mdrRates` is merged per mode.',
        body: settingsPatchBody,
        response: { 200: envelopeSchema(settingsPayload), 400: errorEnvelopeSchema },
      },
    },
    async (request) => envelope(settingsToWire(await settings.update(request.principal!.companyId, request.body))),
  );
}

/** "Payment Modes Details": a Payment Gateway route (merchant token). */
export function registerPaymentModesRoute(gateway: FastifyInstance, deps: SettingsRouteDeps): void {
  gateway.get(
    '/v0/merchant/payment-modes',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Payment Gateway: authorization'],
        operationId: 'merchant.paymentModes',
        summary: 'Payment modes details: what the merchant has enabled',
        response: { 200: envelopeSchema(paymentModesPayload) },
      },
    },
    async (request) => envelope(paymentModesDetails(await deps.settings.get(deps.database.db, request.principal!.companyId), deps.rails)),
  );
}
