import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Executor } from '../../../core/db/engine.js';
import type { EventsService } from '../../../core/events/index.js';
import type { SandboxClock, Timers } from '../../../core/jobs/types.js';
import type { Ledger } from '../../../core/ledger/index.js';
import type { BankTransferRail } from '../../../rails/index.js';
import { createRefundsService, registerRefundRoutes, REFUND_EVENTS, type RefundsService } from '../refunds/index.js';
import type { GatewaySettings } from '../settings/index.js';
import { createSplitService, registerSplitRoutes, type SplitService } from '../split/index.js';
import { SETTLEMENT_EVENTS } from './events.js';
import { registerSettlementRoutes } from './routes.js';
import { createSettlementsService, type SettlementsService } from './service.js';

export interface GatewayMoneyDeps {
  db: Executor;
  clock: SandboxClock;
  timers: Timers;
  ledger: Ledger;
  events: EventsService;
  bankTransfer: BankTransferRail;
  logger: Logger;
  settingsFor?: (exec: Executor, companyId: string) => Promise<GatewaySettings>;
}

/** The money side of the gateway after capture: refunds, settlements and split settlements (ADR 0017). */
export interface GatewayMoney {
  refunds: RefundsService;
  settlements: SettlementsService;
  split: SplitService;
}

export const GATEWAY_MONEY_EVENTS = [...REFUND_EVENTS, ...SETTLEMENT_EVENTS];

export function createGatewayMoney(deps: GatewayMoneyDeps): GatewayMoney {
  const { db, clock, timers, ledger, events, logger } = deps;
  const settlements = createSettlementsService({
    db,
    clock,
    timers,
    ledger,
    events,
    bankTransfer: deps.bankTransfer,
    logger,
    ...(deps.settingsFor ? { settingsFor: deps.settingsFor } : {}),
  });
  const refunds = createRefundsService({
    db,
    clock,
    timers,
    ledger,
    events,
    logger,
    onRefundSucceeded: (tx, refund) => settlements.scheduleForRefund(tx, refund.companyId, refund.completedAt!),
  });
  return { refunds, settlements, split: createSplitService({ db, clock }) };
}

/** The refund, settlement and split routes, in the gateway scope under /api. */
export function registerGatewayMoneyRoutes(api: FastifyInstance, money: GatewayMoney): void {
  registerRefundRoutes(api, money.refunds);
  registerSettlementRoutes(api, money.settlements);
  registerSplitRoutes(api, money.split);
}
