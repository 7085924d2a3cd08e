import type { FastifyInstance } from 'fastify';
import type { Executor } from '../../core/db/engine.js';
import type { SandboxClock, Timers } from '../../core/jobs/types.js';
import type { Ledger } from '../../core/ledger/index.js';
import type { Rails } from '../../rails/index.js';
import { registerOrderRoutes } from './orders/routes.js';
import { createOrdersService, type OrdersService } from './orders/service.js';
import { registerPaymentRoutes } from './payments/routes.js';
import { createPaymentsService, type PaymentsDeps, type PaymentsService } from './payments/service.js';
import { defaultGatewaySettings, type GatewaySettings } from './settings/model.js';

export interface GatewayDeps {
  db: Executor;
  clocks: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  rails: Rails;
  events: PaymentsDeps['events'] & { checkNotifyUrl(companyId: string, url: string, param?: string): Promise<void> };
  /** The company's gateway settings (the lead's settings store); defaults until it is wired. */
  settings?: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
  /** The merchant secret keying the notify checksum (the merchant service's `secretFor`). */
  secretFor: PaymentsDeps['secretFor'];
  /** TIJORI_PUBLIC_URL: the base of `redirectionUrl`; else each request's own origin. */
  publicUrl?: string | undefined;
  /** Checks `splitDetails[]` of a submission against the company's split accounts (the split service). */
  split: PaymentsDeps['split'];
}

export interface Gateway {
  orders: OrdersService;
  payments: PaymentsService;
  publicUrl: string | undefined;
}

/** Builds the Payment Gateway's orders and payments services (other parts plug in through `payments.onCaptured`). */
export function createGateway(deps: GatewayDeps): Gateway {
  const settings = deps.settings ?? { get: async (_exec: Executor, companyId: string) => defaultGatewaySettings(companyId) };
  const orders = createOrdersService({
    db: deps.db,
    clocks: deps.clocks,
    timers: deps.timers,
    settings,
    checkNotifyUrl: (companyId, url) => deps.events.checkNotifyUrl(companyId, url, 'notifyUrl'),
    // Orders close their attempts through payments, built just below.
    attempts: () => payments.attempts,
  });
  const payments: PaymentsService = createPaymentsService({
    db: deps.db,
    clocks: deps.clocks,
    timers: deps.timers,
    ledger: deps.ledger,
    rails: deps.rails,
    events: deps.events,
    settings,
    secretFor: deps.secretFor,
    split: deps.split,
  });
  return { orders, payments, publicUrl: deps.publicUrl };
}

/** The gateway routes, registered in the gateway scope under /api (app.ts). */
export function registerGatewayRoutes(api: FastifyInstance, gateway: Gateway): void {
  registerOrderRoutes(api, gateway.orders, () => gateway.payments.wallets('PAY_LATER'), { publicUrl: gateway.publicUrl });
  registerPaymentRoutes(api, gateway.payments, gateway.orders, { publicUrl: gateway.publicUrl });
}

export { PAYMENT_EVENTS, PAYMENT_SUCCESS, PAYMENT_FAILED, type NotifyBody } from './payments/events.js';
export { gatewayPayments } from './payments/tables.js';
export { gatewayOrders } from './orders/tables.js';
export type { Order, OrderStatus } from './orders/model.js';
export type { Payment, PaymentStatus, FeeQuote } from './payments/model.js';
export { notifyChecksum, checksumMessage, quoteFees, computeMdr, upiAppLinks, upiQrPng, upiQrSvg, merchantPayee, upiNote } from './payments/model.js';
export type { OrdersService } from './orders/service.js';
export type { PaymentsService, PaymentResult, PaymentDetailInput, PaymentContext, CapturedListener, FailedListener } from './payments/service.js';
export { bankPageUrl, serializeSubmit } from './payments/schemas.js';
export { validationRejection, VALIDATION_RESULT_CODES } from './payments/result-codes.js';
export { PaymentModeNotEnabledError } from './payments/errors.js';
// What the other gateway products use of orders and payments (their index is this file).
export { CUSTOMER_EMAIL_PATTERN, CUSTOMER_MOBILE_PATTERN, NON_PAYABLE, attemptsLeft, isPayable, type CustomerInfo } from './orders/model.js';
export { ID } from './orders/schemas.js';
export { DuplicateOrderIdError, OrderNotCancellableError } from './orders/errors.js';
