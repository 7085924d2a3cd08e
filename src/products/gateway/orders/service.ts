import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import type { GatewaySettings } from '../settings/index.js';
import { OrderNotCancellableError, OrderNotFoundError } from './errors.js';
import { isPayable, newOrderId, type CustomerInfo, type Order, type OrderOrigin, type OrderOriginKind } from './model.js';
import * as repo from './repository.js';

export const ORDER_EXPIRY_TIMER = 'gateway.order.expire';

export interface CreateOrderInput {
  merchantOrderId: string;
  amountPaise: bigint;
  returnUrl?: string | undefined;
  notifyUrl?: string | undefined;
  description?: string | undefined;
  customerInfo?: CustomerInfo | undefined;
  customParameters?: Record<string, string> | undefined;
  tpv?: { accountNumber: string; ifsc: string } | undefined;
  /** The product that made the order (a link, QR code, button or mandate debit); an API order by default. */
  origin?: OrderOrigin | undefined;
}

/** What orders need from payments: closing an order's open attempts, and whether one is with the bank. */
export interface OrderAttempts {
  /** Cancels the attempts that are not with the bank (no mode yet, awaiting OTP or 3-D Secure). */
  closeOpen(tx: Executor, order: Order, now: Date, reason: string): Promise<void>;
  /** `now`: an attempt whose process died before recording it stops counting at its timeout. */
  hasInFlight(tx: Executor, companyId: string, orderId: string, now?: Date): Promise<boolean>;
}

export interface OrdersDeps {
  db: Executor;
  clocks: SandboxClock;
  timers: Timers;
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
  /** Refuses a notifyUrl a live company may not target (events service). */
  checkNotifyUrl(companyId: string, url: string): Promise<void>;
  attempts: () => OrderAttempts;
}

export type OrdersService = ReturnType<typeof createOrdersService>;

/** Called in the transaction that expires or cancels an order, with the order as it now is (EXPIRED or CANCELLED). */
export type OrderClosedListener = (tx: Executor, order: Order) => Promise<void>;

export type OrderSearch = repo.OrderFilters & PageRequest & { orderBy: keyof typeof repo.ORDER_SORT; direction: 'ASC' | 'DESC' };

/**
 * Orders (reference §2.1): create with the merchant's unique orderId, read by either id, search,
 * cancel, and expiry on the sandbox clock (a timer at `expiresAt`).
 */
export function createOrdersService(deps: OrdersDeps) {
  const { db, clocks, timers } = deps;
  const closedListeners: { origin: OrderOriginKind; fn: OrderClosedListener }[] = [];
  async function closed(tx: Executor, order: Order): Promise<void> {
    for (const l of closedListeners) if (l.origin === order.originKind) await l.fn(tx, order);
  }

  async function expire(timer: Timer<{ orderId: string }>): Promise<void> {
    await withTransaction(db, async (tx) => {
      const order = await repo.findOrder(tx, timer.companyId, timer.payload.orderId, true);
      if (!order || !isPayable(order.status)) return;
      const now = await clocks.now(order.companyId, tx);
      if (now < order.expiresAt) return;
      // An attempt with the bank decides first: its failure expires the order (payments service).
      if (await deps.attempts().hasInFlight(tx, order.companyId, order.id, now)) return;
      await deps.attempts().closeOpen(tx, order, now, 'Order expired');
      await repo.updateOrder(tx, order.companyId, order.id, { status: 'EXPIRED', updatedAt: now });
      await closed(tx, { ...order, status: 'EXPIRED', updatedAt: now });
    });
  }
  timers.register<{ orderId: string }>(ORDER_EXPIRY_TIMER, expire);

  const service = {
    /**
     * Registers a listener run inside the transaction that expires (timer) or cancels an order of
     * `origin` (the product that made it, ADR 0028); a failed attempt that expires the order is told
     * through `payments.onFailed` instead, with the order EXPIRED.
     */
    onClosed(listener: OrderClosedListener, origin: OrderOriginKind): void {
      closedListeners.push({ origin, fn: listener });
    },

    /** @throws duplicate_order_id, webhook_target_forbidden (notifyUrl) */
    async create(companyId: string, accessKey: string | null, input: CreateOrderInput, finish?: (tx: Executor, order: Order) => Promise<void>): Promise<Order> {
      if (input.notifyUrl !== undefined) await deps.checkNotifyUrl(companyId, input.notifyUrl);
      const settings = await deps.settings.get(db, companyId);
      const build = (now: Date): Order => ({
        id: newOrderId(now),
        companyId,
        merchantOrderId: input.merchantOrderId,
        accessKey,
        amountPaise: input.amountPaise,
        currency: 'INR',
        status: 'CREATED',
        returnUrl: input.returnUrl ?? null,
        notifyUrl: input.notifyUrl ?? null,
        description: input.description ?? null,
        customerInfo: input.customerInfo ?? null,
        customParameters: input.customParameters ?? null,
        tpvAccountNumber: input.tpv?.accountNumber ?? null,
        tpvIfsc: input.tpv?.ifsc ?? null,
        maxAttempts: settings.maxPaymentAttempts,
        attemptsUsed: 0,
        paidTransactionId: null,
        cancelReason: null,
        originKind: input.origin?.kind ?? 'API',
        originId: input.origin?.id ?? null,
        expiresAt: new Date(now.getTime() + settings.orderExpiryMinutes * 60_000),
        createdAt: now,
        updatedAt: now,
      });
      const expiry = (order: Order) => ({
        companyId,
        dueAt: order.expiresAt,
        kind: ORDER_EXPIRY_TIMER,
        payload: { orderId: order.id },
        dedupeKey: `${ORDER_EXPIRY_TIMER}:${order.id}`,
      });
      if (finish === undefined) {
        // An API order: the order and its expiry timer in one statement, no transaction (ADR 0028).
        const order = build(await clocks.now(companyId));
        await repo.insertOrderWith(db, order, timers.scheduleStatement(expiry(order)));
        return order;
      }
      return withTransaction(db, async (tx) => {
        const order = build(await clocks.now(companyId, tx));
        await repo.insertOrder(tx, order);
        await timers.schedule(tx, expiry(order));
        await finish(tx, order);
        return order;
      });
    },

    /** By EnKash's order id, or else by the merchant's (reference §2.1: "accept either id"). @throws order_not_found */
    async get(companyId: string, id: string, exec: Executor = db): Promise<Order> {
      const order = (await repo.findOrder(exec, companyId, id)) ?? (await repo.findOrderByMerchantId(exec, companyId, id));
      if (!order) throw new OrderNotFoundError(`No order ${id}`, { param: 'orderId' });
      return order;
    },

    /** @throws order_not_found */
    async getByMerchantId(companyId: string, merchantOrderId: string): Promise<Order> {
      const order = await repo.findOrderByMerchantId(db, companyId, merchantOrderId);
      if (!order) throw new OrderNotFoundError(`No order with merchant orderId ${merchantOrderId}`, { param: 'merchantOrderId' });
      return order;
    },

    search(companyId: string, query: OrderSearch): Promise<{ rows: Order[]; total: number }> {
      return repo.searchOrders(db, companyId, query, query);
    },

    /**
     * Cancels an order that has not been paid: its open attempts are cancelled too. An order with
     * an attempt at the bank cannot be cancelled (the bank may still take the money).
     * @throws order_not_found, order_not_cancellable
     */
    async cancel(companyId: string, id: string, reason: string | undefined): Promise<Order> {
      const { id: orderId } = await service.get(companyId, id);
      return withTransaction(db, async (tx) => {
        const order = (await repo.findOrder(tx, companyId, orderId, true))!;
        if (!isPayable(order.status)) throw new OrderNotCancellableError(`The order is ${order.status} and cannot be cancelled`, { param: 'orderId' });
        if (await deps.attempts().hasInFlight(tx, companyId, orderId)) {
          throw new OrderNotCancellableError('A payment of this order is with the bank; the order cannot be cancelled until it ends', { param: 'orderId' });
        }
        const now = await clocks.now(companyId, tx);
        const cancelReason = reason ?? 'Cancelled by the merchant';
        await deps.attempts().closeOpen(tx, order, now, cancelReason);
        await repo.updateOrder(tx, companyId, orderId, { status: 'CANCELLED', cancelReason, updatedAt: now });
        const cancelled: Order = { ...order, status: 'CANCELLED', cancelReason, updatedAt: now };
        await closed(tx, cancelled);
        return cancelled;
      });
    },
  };
  return service;
}
