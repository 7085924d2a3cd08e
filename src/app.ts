import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './core/clock/clock.js';
import type { Database, Executor } from './core/db/engine.js';
import { setAfterCommitErrorReporter } from './core/db/transaction.js';
import { newId } from './core/ids/ids.js';
import { envelopeErrorHandler, envelopeNotFoundHandler } from './core/http/envelope.js';
import { registerHealthRoutes } from './core/http/health.js';
import { registerFiniteNumbersGuard } from './core/http/finite-numbers.js';
import { registerInputGuard } from './core/http/input-guard.js';
import { registerStrictTypes } from './core/http/strict-types.js';
import { oauthErrorHandler } from './core/http/oauth-errors.js';
import { registerOpenApi } from './core/http/openapi.js';
import { registerPayloadEncryption } from './core/http/payload-encryption.js';
import { pruneExpiredIdempotencyKeys, registerIdempotency } from './core/idempotency/index.js';
import './core/http/principal.js';
import { createIdentityService, type IdentityService } from './auth/identity/index.js';
import { createOAuthService, oauthPlugin, registerAccountRoutes, type OAuthService } from './auth/oauth/index.js';
import { apiGuard, createMerchantService, markMerchantRoutes, markPlatformRoutes, merchantTokenPlugin, type MerchantService } from './auth/merchant/index.js';
import { createGatewaySettings, registerPaymentModesRoute, registerSettingsRoutes, type GatewaySettingsService } from './products/gateway/settings/index.js';
import {
  CORE_EVENTS,
  EventCatalogue,
  SecretsKey,
  createEventsService,
  registerEventRoutes,
  type DeliveryHttpSettings,
  type EventDefinition,
  type EventsService,
  type Resolver,
} from './core/events/index.js';
import { registerSandboxClockRoutes } from './core/clock/routes.js';
import { createSandboxClock, type SandboxClock } from './core/clock/sandbox-clock.js';
import { createJobQueue, type JobRunner } from './core/jobs/queue.js';
import { createTimers, type TimerRunner } from './core/jobs/timers.js';
import { createRails, registerSandboxTestDataRoute, type Rails } from './rails/index.js';
import { sandboxTestData } from './sandbox-test-data.js';
import { createLedger, registerLedgerRoutes, type Ledger } from './core/ledger/index.js';
import { createGateway, registerGatewayRoutes, PAYMENT_EVENTS, type Gateway } from './products/gateway/index.js';
import { createPayoutsService, PAYOUT_EVENTS, payoutsPlugin, type PayoutsService } from './products/payouts/index.js';
import { BBPS_EVENTS, bbpsPlugin, createBbpsService, type BbpsService } from './products/bbps/index.js';
import { createGatewayMoney, registerGatewayMoneyRoutes, GATEWAY_MONEY_EVENTS, type GatewayMoney } from './products/gateway/settlements/index.js';
import { checkoutPlugin, createCheckoutService, registerSandboxPayerRoute } from './products/gateway/checkout/index.js';
import {
  createEcollectService,
  ECOLLECT_EVENTS,
  registerEcollectRoutes,
  registerEcollectSandboxRoutes,
  type EcollectService,
} from './products/gateway/ecollect/index.js';
import { createMandatesService, MANDATE_EVENTS, registerMandateRoutes, type MandatesService } from './products/gateway/mandates/index.js';
import { createButtonsService, registerButtonPublicRoutes, registerButtonRoutes } from './products/gateway/button/index.js';
import { checkoutPages, registerLinkPages, registerPayPages, registerWebPages } from './web/index.js';
import { createNoticesService, registerOutboxRoutes, type NoticesService } from './products/notices/index.js';
import { createLinksService, PAYMENT_LINK_EVENTS, registerLinkRoutes, type LinksService } from './products/gateway/links/index.js';
import {
  createBulkService,
  createVerificationService,
  registerBulkRoutes,
  registerVerificationRoutes,
  VERIFICATION_EVENTS,
  type BulkService,
  type VerificationService,
} from './products/verification/index.js';
import { createQrService, registerQrRoutes, registerQrSandboxRoutes, QR_EVENTS, type QrService } from './products/gateway/qr/index.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Every event type of the platform: the core's, then each product area's `events.ts` list. The
 * catalogue, webhook validation and docs/events.md are built from this one list.
 */
export const EVENT_DEFINITIONS: EventDefinition[] = [
  ...CORE_EVENTS,
  ...PAYMENT_EVENTS,
  ...GATEWAY_MONEY_EVENTS,
  ...PAYOUT_EVENTS,
  ...BBPS_EVENTS,
  ...ECOLLECT_EVENTS,
  ...MANDATE_EVENTS,
  ...PAYMENT_LINK_EVENTS,
  ...QR_EVENTS,
  ...VERIFICATION_EVENTS,
];
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;
/** How often the ledger folds unchecked balance deltas into their rows (ADR 0029), where workers run. */
const LEDGER_COMPACTION_INTERVAL_MS = 5_000;

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Extra routes under /api, behind the bearer guard (tests use it for hook fixtures). */
  registerApiRoutes?: (api: FastifyInstance) => void;
  /**
   * What runs in the background once the app is ready: job workers, and sandbox timers polled
   * every `timerPollMs` of real time (null: timers fire only on a clock advance, as tests want).
   * Defaults to the configuration.
   */
  background?: { workers: boolean; timerPollMs: number | null };
  /** Receiver-facing delivery overrides (benchmarks and crash tests): HTTP settings, DNS, lease and sweep timing. */
  webhooks?: { http?: Partial<DeliveryHttpSettings>; resolver?: Resolver; leaseMarginMs?: number; sweepIntervalMs?: number };
}

export interface Services {
  identity: IdentityService;
  oauth: OAuthService;
  /** Payment Gateway merchant keys and tokens (reference §1.2(a)). */
  merchant: MerchantService;
  gatewaySettings: GatewaySettingsService;
  clocks: SandboxClock;
  timers: TimerRunner;
  jobs: JobRunner;
  events: EventsService;
  /** The simulated rails; products call them through their interfaces. */
  rails: Rails;
  ledger: Ledger;
  /** The Payment Gateway's orders and payments. */
  gateway: Gateway;
  payouts: PayoutsService;
  bbps: BbpsService;
  /** The Payment Gateway's refunds, settlements and split settlements. */
  gatewayMoney: GatewayMoney;
  /** The Payment Gateway's E-Collect virtual accounts. */
  ecollect: EcollectService;
  /** UPI Autopay mandates (reference §2.9). */
  mandates: MandatesService;
  /** The sandbox outbox: SMS and e-mail recorded instead of sent. */
  notices: NoticesService;
  /** Payment links (quick collect, reference §2.10). */
  links: LinksService;
  /** The Payment Gateway's UPI QR codes (reference §2.8). */
  qr: QrService;
  /** The verification suite (PAN, GSTIN, Aadhaar, CIN, LLPIN, bank-account penny drops, name match; reference §11, §14). */
  verification: VerificationService;
  /** Bulk verification jobs (CSV uploads run by the job queue). */
  verificationBulk: BulkService;
}

/**
 * The key that seals webhook secrets at rest: SECRETS_KEY, or a key file in the data folder
 * (docs/webhooks.md). An in-memory database gets a throw-away key: its data dies with it.
 */
export function secretsKeyFor(config: Config, database: Database, logger: Logger): SecretsKey {
  if (config.secretsKey !== undefined) return SecretsKey.fromHex(config.secretsKey);
  if (database.location === 'memory') return SecretsKey.random();
  if (database.kind === 'postgres') {
    logger.warn(
      'SECRETS_KEY is not set: webhook secrets are sealed with a key file in the data folder; every process sharing this database needs the same key',
    );
  }
  return SecretsKey.fromDataDir(config.dataDir);
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** The composition root: builds the core services and registers every plugin. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, database, clock, logger } = deps;
  // A failed after-commit action (ADR 0046) is logged; the committed answer stands.
  setAfterCommitErrorReporter((err) => logger.error({ err }, 'after-commit action failed; the committed work stands'));
  const secretsKey = secretsKeyFor(config, database, logger);
  const identity = createIdentityService({ db: database.db, clock, database });
  const nameDigest = (companyId: string, username: string) => secretsKey.digest(`${companyId}\u0000${username}`, 'login-name');
  const oauth = createOAuthService({ database, clock, identity, settings: config.oauth, nameDigest });
  const clocks = createSandboxClock({ database, clock });
  const timers = createTimers({ db: database.db, clock, clocks, logger, shared: database.kind === 'postgres' });
  const jobs = createJobQueue({ database, logger });
  const rails = createRails({ timers, clock: clocks }, { bankTransfer: config.transferLimits });
  const background = deps.background ?? { workers: config.workers, timerPollMs: config.workers ? config.timerPollMs : null };
  // Ledger entries are dated by the company's sandbox clock, so they move with its time travel.
  const ledger = createLedger({ db: database.db, clock: clocks });
  const merchant = createMerchantService({ database, clock, secretsKey, tokenTtlSeconds: config.merchantTokenTtlSeconds });
  const gatewaySettings = createGatewaySettings({ database, clock });
  /** Whether a company is the sandbox company (sandbox-only routes answer 404 to the others). */
  const isSandboxCompany = async (companyId: string) => (await identity.isSandboxCompany(companyId)) === true;
  const events = createEventsService({
    db: database.db,
    clock,
    clocks,
    jobs,
    timers,
    catalogue: new EventCatalogue(EVENT_DEFINITIONS),
    secretsKey,
    isSandboxCompany,
    http: { timeoutMs: config.webhooks.timeoutMs, maxResponseBytes: 4096, userAgent: `Tijori-Webhooks/${VERSION}`, ...deps.webhooks?.http },
    logger,
    ...(deps.webhooks?.resolver ? { resolver: deps.webhooks.resolver } : {}),
    ...(deps.webhooks?.leaseMarginMs !== undefined ? { leaseMarginMs: deps.webhooks.leaseMarginMs } : {}),
    ...(deps.webhooks?.sweepIntervalMs !== undefined ? { sweepIntervalMs: deps.webhooks.sweepIntervalMs } : {}),
  });
  const gatewayService = createGateway({
    db: database.db,
    clocks,
    timers,
    ledger,
    rails,
    events,
    settings: gatewaySettings,
    secretFor: async (companyId, accessKey) =>
      merchant.secretFor(companyId, accessKey ?? (await merchant.listKeys(companyId)).find((k) => k.status === 'ACTIVE')?.accessKey ?? ''),
    publicUrl: config.publicUrl,
    // Split details on submission are checked by the split service (built with gatewayMoney, just below).
    split: { validateSplitDetails: (exec, companyId, details, amountPaise) => gatewayMoney.split.validateSplitDetails(exec, companyId, details, amountPaise) },
  });
  const gatewayMoney = createGatewayMoney({
    db: database.db,
    clock: clocks,
    timers,
    ledger,
    events,
    bankTransfer: rails.bankTransfer,
    logger,
    settingsFor: (exec, companyId) => gatewaySettings.get(exec, companyId),
  });
  /** A notify URL a merchant gives (orders, buttons, QR), checked as a webhook URL; errors name `notifyUrl`. */
  const checkNotifyUrl = (companyId: string, url: string) => events.checkNotifyUrl(companyId, url, 'notifyUrl');
  const buttons = createButtonsService({
    db: database.db,
    clock: clocks,
    orders: gatewayService.orders,
    checkNotifyUrl,
    isActiveKey: async (companyId, accessKey) => (await merchant.listKeys(companyId)).some((k) => k.accessKey === accessKey && k.status === 'ACTIVE'),
  });
  // Settlement batches are scheduled in the capture's own transaction.
  gatewayService.payments.onCaptured((tx, payment) => gatewayMoney.settlements.scheduleForCapture(tx, payment.companyId, payment.capturedAt!));
  const ecollect = createEcollectService({ db: database.db, clock: clocks, ledger, events, limits: config.transferLimits, logger });
  const mandates = createMandatesService({ db: database.db, clocks, timers, rails, events, gateway: gatewayService, settings: gatewaySettings });
  const notices = createNoticesService({ db: database.db, clock: clocks });
  const merchantName = async (exec: Executor | undefined, companyId: string) => (await gatewaySettings.get(exec ?? database.db, companyId)).merchantName;
  const links = createLinksService({ db: database.db, clock: clocks, timers, gateway: gatewayService, notices, events, merchantName, logger });
  // UPI QR payments are gateway payments: the QR records each capture in the capture's transaction.
  const qr = createQrService({ db: database.db, clocks, timers, events, gateway: gatewayService, settings: gatewaySettings, checkNotifyUrl });
  // A database holding a merchant secret this key cannot open is refused now, not at that merchant's
  // first payment (issue 16), and before anything starts in the background.
  await merchant.checkSecretsKey();
  // Registers the delivery job and retry timer handlers before the queue starts (after checking that the key opens the webhook secrets).
  await events.start({ sweep: background.workers });
  const payouts = createPayoutsService({
    db: database.db,
    ledger,
    events,
    clocks,
    timers,
    bankTransfer: rails.bankTransfer,
    registries: rails.registries,
    identity,
    logger,
  });
  const bbps = createBbpsService({
    db: database.db,
    clock: clocks,
    ledger,
    events,
    rail: rails.bbps,
    // Bills paid through the gateway: orders of origin BBPS, refunds in the caller's transaction (ADR 0045).
    gateway: {
      orders: gatewayService.orders,
      payments: gatewayService.payments,
      refund: (tx, companyId, transactionId, input) => gatewayMoney.refunds.create(companyId, transactionId, input, { exec: tx }),
    },
    companyName: async (companyId, exec) => (await identity.findCompany(companyId, exec))?.name ?? companyId,
  });
  const verification = createVerificationService({
    db: database.db,
    clocks,
    timers,
    events,
    registries: rails.registries,
    upi: rails.upi,
    gateway: gatewayService,
    refunds: gatewayMoney.refunds,
    isGatewayMerchant: async (companyId) => (await merchant.listKeys(companyId)).some((k) => k.status === 'ACTIVE'),
    payouts,
    secretsKey,
  });
  const verificationBulk = createBulkService({ db: database.db, clock, clocks, jobs, events, secretsKey, verification });
  await verificationBulk.start();

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => newId('req'),
    return503OnClosing: true,
    // Behind a proxy, request.ip (the checkout's rate limit, the verification audit) is the forwarded client (TRUST_PROXY).
    // A hop count as proxy-addr reads one (Fastify's types name no number): trust the first n hops.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // Router errors (a malformed or over-long path) in the path's error shape, not Fastify's default body that echoes the path.
    frameworkErrors: (err, request, reply) => (request.url.startsWith('/oauth/') ? oauthErrorHandler : envelopeErrorHandler)(err, request, reply),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  // JSON only (forms under /oauth): a text/plain body is refused with 415 rather than handed to a route as a string.
  app.removeContentTypeParser('text/plain');
  // No route takes U+0000 (PostgreSQL text cannot hold it) or a card number in free text: 400, before any handler or key claim.
  registerInputGuard(app);
  // Housekeeping where workers run: forget Idempotency-Keys past their retention and expired merchant tokens.
  let housekeeping: NodeJS.Timeout | undefined;
  const pruneKeys = async () => {
    try {
      while ((await pruneExpiredIdempotencyKeys(database.db, clock.now(), 1000)) === 1000);
      while ((await merchant.pruneExpiredTokens(1000)) === 1000);
      while ((await identity.pruneExpiredUnknownLogins(1000)) === 1000);
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'pruning expired keys and tokens failed');
    }
  };
  let compaction: NodeJS.Timeout | undefined;
  let compacting = false;
  const compactLedger = async () => {
    if (compacting) return;
    compacting = true;
    try {
      while ((await ledger.compact({ minDeltas: 32, limit: 100 })) === 100);
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'ledger compaction failed');
    } finally {
      compacting = false;
    }
  };
  app.addHook('onReady', async () => {
    // Offsets are cached once advances of other processes can reach this one (ADR 0031).
    await clocks.start();
    await jobs.start({ workers: background.workers });
    if (background.timerPollMs !== null) timers.startPolling(background.timerPollMs);
    if (background.workers) housekeeping = setInterval(() => void pruneKeys(), HOUSEKEEPING_INTERVAL_MS).unref();
    if (background.workers) compaction = setInterval(() => void compactLedger(), LEDGER_COMPACTION_INTERVAL_MS).unref();
  });
  app.addHook('onClose', async () => {
    await events.stop();
    clearInterval(housekeeping);
    clearInterval(compaction);
    await timers.stop();
    await jobs.stop();
    await clocks.stop();
  });
  app.setErrorHandler(envelopeErrorHandler);
  registerFiniteNumbersGuard(app);
  // Schema coercion takes only a plain decimal string for a number, never a boolean or an array for a scalar (issue 16).
  registerStrictTypes(app);
  app.setNotFoundHandler(envelopeNotFoundHandler);

  await registerOpenApi(app, VERSION, config.publicUrl);
  registerHealthRoutes(app, () => database.ping());
  // Browser pages (no token): the landing page, the sandbox test-data and outbox pages, the pages' static files.
  registerWebPages(app, { seeded: config.seed });
  await app.register(oauthPlugin, { prefix: '/oauth', service: oauth });
  await app.register(merchantTokenPlugin, { prefix: '/api', service: merchant });
  await app.register(
    async (api) => {
      // OAuth tokens, or a merchant token with its merchantAccessKey (auth/merchant/guard.ts).
      api.addHook('onRequest', apiGuard(oauth, merchant));
      // Before the AES hook: its onSend must see the plain answer, and a replay be wrapped anew.
      registerIdempotency(api, {
        db: database.db,
        clock,
        settings: config.idempotency,
        fingerprintDigest: (text) => secretsKey.digest(text, 'idempotency-fingerprint'),
      });
      registerPayloadEncryption(api);
      const settingsDeps = { database, settings: gatewaySettings, rails };
      // Platform routes: OAuth tokens, and merchant tokens so that a gateway-only integration can drive the sandbox.
      await api.register(async (platform) => {
        markPlatformRoutes(platform);
        registerAccountRoutes(platform);
        registerSandboxClockRoutes(platform, { clocks, timers, isSandboxCompany });
        registerEventRoutes(platform, events);
        registerSandboxTestDataRoute(platform, sandboxTestData);
        registerLedgerRoutes(platform, ledger);
        registerSettingsRoutes(platform, settingsDeps);
        registerEcollectSandboxRoutes(platform, ecollect, isSandboxCompany);
        registerOutboxRoutes(platform, notices);
        registerQrSandboxRoutes(platform, qr, isSandboxCompany);
      });
      // The Payment Gateway: merchant token and merchantAccessKey only (reference §2).
      await api.register(async (gateway) => {
        markMerchantRoutes(gateway);
        registerPaymentModesRoute(gateway, settingsDeps);
        registerGatewayRoutes(gateway, gatewayService);
        registerGatewayMoneyRoutes(gateway, gatewayMoney);
        registerButtonRoutes(gateway, buttons, { publicUrl: config.publicUrl });
        registerEcollectRoutes(gateway, ecollect);
        registerMandateRoutes(gateway, mandates);
        registerLinkRoutes(gateway, links, { publicUrl: config.publicUrl });
        registerQrRoutes(gateway, qr);
      });
      await api.register(payoutsPlugin, { service: payouts });
      await api.register(bbpsPlugin, { service: bbps, publicUrl: config.publicUrl });
      await api.register(async (scope) => {
        registerVerificationRoutes(scope, verification);
        registerBulkRoutes(scope, verificationBulk);
      });
      deps.registerApiRoutes?.(api);
    },
    { prefix: '/api' },
  );
  // The hosted checkout and the simulated bank pages (docs/api/gateway-checkout.md): no token; an order id, or a transaction id with its key.
  const checkout = createCheckoutService({ db: database.db, gateway: gatewayService, clocks, settings: gatewaySettings });
  await checkoutPlugin(app, {
    service: checkout,
    // GET /api/v0/bin/details with a merchant token (its public call names a checkout transaction instead).
    authenticate: apiGuard(oauth, merchant),
    publicUrl: config.publicUrl,
    pages: checkoutPages(checkout),
    extra: (scope) => {
      registerPayPages(scope, { checkout, links, merchantName: async (companyId) => (await gatewaySettings.get(database.db, companyId)).merchantName });
      registerLinkPages(scope, { links, merchantName });
      registerSandboxPayerRoute(scope, { checkout, payments: gatewayService.payments, isSandboxCompany, runDue: (companyId) => timers.runDue(companyId) });
    },
  });
  // Payment buttons' public side (ADR 0022): the embed script's view of a button and a click's order, CORS for any origin.
  await registerButtonPublicRoutes(app, { service: buttons, publicUrl: config.publicUrl });
  return {
    app,
    services: {
      identity,
      oauth,
      merchant,
      gatewaySettings,
      clocks,
      timers,
      jobs,
      ledger,
      events,
      rails,
      gateway: gatewayService,
      gatewayMoney,
      payouts,
      bbps,
      ecollect,
      mandates,
      notices,
      links,
      qr,
      verification,
      verificationBulk,
    },
  };
}
