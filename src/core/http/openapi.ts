import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import { publicBase } from './route-helpers.js';

/**
 * The OpenAPI document is generated from the route schemas (DESIGN "The wire contract") and
 * served at /openapi.json; /docs renders it with Scalar from the locally installed bundle,
 * without fonts or scripts from the network. Its `servers` entry is this server's public base
 * (TIJORI_PUBLIC_URL, else the request's own origin), so the reference's generated requests name
 * a host a developer can paste.
 */
export async function registerOpenApi(app: FastifyInstance, version: string, publicUrl?: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tijori',
        version,
        description:
          'Self-hostable implementation of the EnKash developer-portal APIs with a simulated sandbox of the Indian money rails. ' +
          'Product APIs answer in the EnKash envelope `{response_code, response_message, payload}`; `/oauth/*` answers as Spring Security OAuth2.',
      },
      tags: [
        { name: 'OAuth', description: 'Spring Security OAuth2-compatible token server (EnKash "User Authentication")' },
        { name: 'Account', description: 'Who the bearer token belongs to' },
        { name: 'Operations', description: 'Health and readiness' },
        { name: 'Ledger', description: 'The double-entry ledger: accounts, balances (also as of an instant) and transactions (Tijori extension)' },
        { name: 'Webhooks', description: 'EnKash webhook configuration (`/api/v0/webhook-data`) and its signing secrets' },
        { name: 'Events', description: 'Every event published to a company, its deliveries and attempts, and replay (Tijori extension)' },
        { name: 'Payouts', description: 'EnKash Payouts: payout account, beneficiaries, IMPS/NEFT/RTGS/UPI transfers and batches' },
        {
          name: 'Bill Payments',
          description: 'Bharat Connect (BBPS) utility bills: billers, bill fetch, bills with maker-checker approval, status and search (reference §4)',
        },
        { name: 'Verification', description: 'The verification suite: PAN, GSTIN, Aadhaar, CIN, LLPIN, bank accounts (penny drop) and name matching' },
        { name: 'Sandbox', description: 'The sandbox clock, the simulated rails’ test data and the outbox of SMS and e-mail notices (Tijori extension)' },
        { name: 'Payment Gateway: authorization', description: 'The merchant token (accessKey and secretKey) and Payment Modes Details (reference §1.2(a))' },
        {
          name: 'Payment Gateway: settings',
          description: 'Payment modes, surcharge and convenience fees, MDR and settlement timing per company (Tijori extension)',
        },
        { name: 'Payment Gateway: orders', description: 'Orders (reference §2.1)' },
        { name: 'Payment Gateway: payments', description: 'Server-to-server payments, OTP, UPI, BIN details and transaction status (reference §2.2)' },
        { name: 'Payment Gateway: refunds', description: 'Refunds (reference §2.5)' },
        { name: 'Payment Gateway: settlements', description: 'Settlement payouts (reference §2.6)' },
        { name: 'Payment Gateway: split settlements', description: 'Split settlement accounts and splits (reference §2.7)' },
        { name: 'Payment Gateway: e-collect', description: 'E-Collect virtual accounts and their inward credits (reference §2.11)' },
        { name: 'Payment Gateway: UPI mandates', description: 'UPI Autopay mandates, pre-debit notifications and debits (reference §2.9)' },
        { name: 'Payment Gateway: payment links', description: 'Payment links, EnKash "quick collect" (reference §2.10)' },
        { name: 'Payment Gateway: UPI QR', description: 'Static and dynamic UPI QR codes, their customers, images and payments (reference §2.8)' },
        { name: 'Hosted checkout', description: 'The checkout page’s JSON endpoints (reference §2.4)' },
        {
          name: 'Payment Gateway: payment buttons',
          description: 'Payment buttons: definitions, totals, and the public click that creates an order for the embed script (Tijori; ADR 0022)',
        },
      ],
      components: {
        securitySchemes: {
          clientBasic: { type: 'http', scheme: 'basic', description: 'base64(clientId:clientSecret)' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An access_token from POST /oauth/token' },
          merchantToken: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v0/merchant/token (Payment Gateway)' },
          merchantAccessKey: { type: 'apiKey', in: 'header', name: 'merchantAccessKey', description: 'The accessKey the merchant token was issued to' },
        },
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async (request) => {
    // OpenAPI 3.1 (configured above), which the plugin's type does not narrow to.
    const { openapi, info, ...rest } = app.swagger() as { openapi: string; info: object };
    const description = publicUrl === undefined ? 'This server (the origin of the request)' : 'This server (TIJORI_PUBLIC_URL)';
    return { openapi, info, servers: [{ url: publicBase(request, publicUrl), description }], ...rest };
  });
  await app.register(scalar, {
    routePrefix: '/docs',
    logLevel: 'warn',
    configuration: {
      url: '/openapi.json',
      withDefaultFonts: false,
      hideClientButton: true,
      // Scalar shows its toolbar ("Share", "Deploy": its online services) on localhost unless told not to.
      showToolbar: 'never',
      telemetry: false,
      pageTitle: 'Tijori API reference',
      // Scalar's "Ask AI" and MCP buttons call its online services; the reference is offline.
      agent: { disabled: true },
      mcp: { disabled: true },
    } as Record<string, unknown>,
  });
}
