import type { Logger } from 'pino';
import type { Executor } from '../../../core/db/engine.js';
import { uniqueViolation, withTransaction } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock, Timer, Timers } from '../../../core/jobs/types.js';
import { formatAmountString, formatRupees } from '../../../core/money/index.js';
import type { NoticesService } from '../../notices/index.js';
import type { Gateway, Order, Payment } from '../index.js';
import { DuplicateOrderIdError } from '../index.js';
import {
  DuplicatePaymentLinkReferenceError,
  InvalidPaymentLinkError,
  PaymentLinkNotCancellableError,
  PaymentLinkNotFoundError,
  PaymentLinkNotPayableError,
} from './errors.js';
import { PAYMENT_LINK_DUE_DATE, PAYMENT_LINK_PAYMENT_FAILED, PAYMENT_LINK_PAYMENT_SUCCESS, type LinkWebhookBody } from './events.js';
import { amountDue, isOpen, newLinkId, payableRange, statusAfterPayment, type LinkOrder, type LinkStatus, type PaymentLink } from './model.js';
import { dueDateNotices, linkNotices } from './notices.js';
import * as repo from './repository.js';

export const LINK_DUE_DATE_TIMER = 'gateway.link.due_date';
export const LINK_EXPIRY_TIMER = 'gateway.link.expire';
/** Page submissions (or a cancel) racing each other on one link: each loser tries this many times in all. */
const MAX_START_ATTEMPTS = 3;

/** Another submission recorded an open order of the link first (startPayment retries). */
class ConcurrentLinkOrder extends Error {}

export interface CreateLinkInput {
  amountPaise: bigint;
  referenceId?: string | undefined;
  customerName?: string | undefined;
  customerEmail?: string | undefined;
  customerMobile?: string | undefined;
  description?: string | undefined;
  dueDate?: Date | undefined;
  expiryDate?: Date | undefined;
  notifyUrl?: string | undefined;
  sendSms?: boolean | undefined;
  sendEmail?: boolean | undefined;
  partialPayment?: boolean | undefined;
  minPartialPaise?: bigint | undefined;
}

export interface LinksDeps {
  db: Executor;
  clock: SandboxClock;
  timers: Timers;
  gateway: Gateway;
  notices: NoticesService;
  events: {
    publish(tx: Executor, companyId: string, input: { type: string; payload: object; notifyUrl?: string | null }): Promise<{ eventId: string }>;
    checkNotifyUrl(companyId: string, url: string, param?: string): Promise<void>;
  };
  merchantName(exec: Executor, companyId: string): Promise<string>;
  logger: Logger;
}

export type LinksService = ReturnType<typeof createLinksService>;

const rupees = (paise: bigint) => formatAmountString(paise, 'INR');
const invalid = (message: string, param: string) => new InvalidPaymentLinkError(message, { param });

/** Rules of a create request the schema cannot state, against the company's sandbox time. */
function checkCreate(input: CreateLinkInput, now: Date): void {
  if (input.dueDate && input.dueDate <= now) throw invalid(`dueDate must be after the current sandbox time ${now.toISOString()}`, 'dueDate');
  if (input.expiryDate && input.expiryDate <= now) throw invalid(`expiryDate must be after the current sandbox time ${now.toISOString()}`, 'expiryDate');
  if (input.dueDate && input.expiryDate && input.dueDate > input.expiryDate) throw invalid('dueDate must not be after expiryDate', 'dueDate');
  if (input.minPartialPaise !== undefined) {
    if (!input.partialPayment) throw invalid('minPartialAmount needs partialPayment true', 'minPartialAmount');
    if (input.minPartialPaise > input.amountPaise) throw invalid(`minPartialAmount must not exceed amount ${rupees(input.amountPaise)}`, 'minPartialAmount');
  }
  if (input.sendSms && !input.customerMobile) throw invalid('sendSms needs customerMobile', 'customerMobile');
  if (input.sendEmail && !input.customerEmail) throw invalid('sendEmail needs customerEmail', 'customerEmail');
}

/**
 * Payment links (reference §2.10; ADR 0021). A link owns no money: its public page creates a
 * gateway order for the amount chosen, and the gateway's capture (and its ledger posting) tells
 * the link, in the capture's transaction, through `payments.onCaptured`. Due date and expiry are
 * timers on the company's sandbox clock; SMS and e-mail go to the sandbox outbox.
 */
export function createLinksService(deps: LinksDeps) {
  const { db, clock, timers, gateway, events, notices } = deps;

  async function publish(tx: Executor, link: PaymentLink, type: string, body: LinkWebhookBody) {
    await events.publish(tx, link.companyId, { type, payload: body, notifyUrl: link.notifyUrl });
  }

  /**
   * Cancels the link's open gateway orders (a link keeps at most one). An order whose payment is
   * with the bank cannot be cancelled: `inFlight` says what to throw then.
   */
  async function closeOpenOrders(link: PaymentLink, reason: string, inFlight: () => Error): Promise<void> {
    for (const row of await repo.listLinkOrders(db, link.companyId, link.id, 'OPEN')) {
      try {
        await gateway.orders.cancel(link.companyId, row.orderId, reason);
      } catch {
        const order = await gateway.orders.get(link.companyId, row.orderId);
        if (order.status === 'PAID') continue;
        if (!['CANCELLED', 'EXPIRED'].includes(order.status)) throw inFlight();
      }
      await repo.updateLinkOrder(db, link.companyId, row.orderId, { status: 'CANCELLED' });
    }
  }

  async function onDueDate(timer: Timer<{ linkId: string }>): Promise<void> {
    await withTransaction(db, async (tx) => {
      const link = await repo.findLink(tx, timer.companyId, timer.payload.linkId, true);
      if (!link || !isOpen(link.status) || link.dueDate === null || amountDue(link) === 0n) return false;
      const due = amountDue(link);
      await publish(tx, link, PAYMENT_LINK_DUE_DATE.type, {
        quickCollectRequestId: link.id,
        type: 'DUE_DATE',
        amount: formatRupees(due),
        paymentStatus: 'FAILED',
        message: `Payment link due date reached; ${rupees(due)} due`,
        paymentDate: link.dueDate.toISOString(),
      });
      const merchantName = await deps.merchantName(tx, link.companyId);
      for (const notice of dueDateNotices(link, merchantName, due)) await notices.record(tx, link.companyId, notice);
      return true;
    });
  }

  async function onExpiry(timer: Timer<{ linkId: string }>): Promise<void> {
    const expired = await withTransaction(db, async (tx) => {
      const link = await repo.findLink(tx, timer.companyId, timer.payload.linkId, true);
      if (!link || !isOpen(link.status) || link.expiryDate === null) return null;
      const now = await clock.now(link.companyId, tx);
      if (now < link.expiryDate) return null;
      await repo.updateLink(tx, link.companyId, link.id, { status: 'EXPIRED', updatedAt: now });
      return link;
    });
    // Best effort after the commit: an order already with the bank may still be captured, and is then recorded.
    if (!expired) return;
    await closeOpenOrders(expired, 'Payment link expired', () => new Error('a payment of the link is with the bank')).catch((err: unknown) => {
      deps.logger.info(
        { companyId: expired.companyId, linkId: expired.id, reason: err instanceof Error ? err.message : String(err) },
        'expired payment link keeps an open order',
      );
    });
  }

  timers.register<{ linkId: string }>(LINK_DUE_DATE_TIMER, onDueDate);
  timers.register<{ linkId: string }>(LINK_EXPIRY_TIMER, onExpiry);

  async function linkOf(tx: Executor, order: Order): Promise<{ row: LinkOrder; link: PaymentLink } | null> {
    const row = await repo.findLinkOrder(tx, order.companyId, order.id);
    if (!row) return null;
    return { row, link: (await repo.findLink(tx, order.companyId, row.linkId, true))! };
  }

  // Runs in the gateway's capture transaction: the link's amount paid moves with the ledger posting.
  gateway.payments.onCaptured(async (tx, payment: Payment, order: Order) => {
    const found = await linkOf(tx, order);
    if (!found) return;
    const { link } = found;
    const now = payment.capturedAt ?? payment.updatedAt;
    const paid = link.amountPaidPaise + payment.amountPaise;
    // A payment that lands after the link closed (an order already with the bank) is still recorded.
    const status: LinkStatus = isOpen(link.status) ? statusAfterPayment(link, paid) : link.status;
    await repo.updateLinkOrder(tx, link.companyId, order.id, { status: 'PAID', transactionId: payment.id, paymentMode: payment.paymentMode, paidAt: now });
    await repo.updateLink(tx, link.companyId, link.id, {
      amountPaidPaise: paid,
      status,
      updatedAt: now,
      ...(status === 'PAID' && link.paidAt === null ? { paidAt: now } : {}),
    });
    const due = amountDue({ amountPaise: link.amountPaise, amountPaidPaise: paid });
    await publish(tx, link, PAYMENT_LINK_PAYMENT_SUCCESS.type, {
      quickCollectRequestId: link.id,
      type: 'PAYMENT',
      amount: formatRupees(payment.amountPaise),
      paymentStatus: 'SUCCESS',
      message:
        due === 0n
          ? `Payment of ${rupees(payment.amountPaise)} received; payment link paid in full`
          : `Payment of ${rupees(payment.amountPaise)} received; ${rupees(due)} due`,
      paymentDate: now.toISOString(),
    });
  }, 'LINK');

  gateway.payments.onFailed(async (tx, payment: Payment, order: Order) => {
    const found = await linkOf(tx, order);
    if (!found) return;
    await publish(tx, found.link, PAYMENT_LINK_PAYMENT_FAILED.type, {
      quickCollectRequestId: found.link.id,
      type: 'PAYMENT',
      amount: formatRupees(payment.amountPaise),
      paymentStatus: 'FAILED',
      message: `Payment failed: ${payment.txnMsg}`,
      paymentDate: payment.updatedAt.toISOString(),
    });
  }, 'LINK');

  async function get(companyId: string, id: string): Promise<PaymentLink> {
    const link = await repo.findLink(db, companyId, id);
    if (!link) throw new PaymentLinkNotFoundError(`No payment link ${id}`, { param: 'quickCollectRequestId' });
    return link;
  }

  async function forPage(id: string): Promise<PaymentLink> {
    const link = await repo.findLinkById(db, id);
    if (!link) throw new PaymentLinkNotFoundError(`No payment link ${id}`, { param: 'quickCollectRequestId' });
    return link;
  }

  return {
    /** The public page's view: any company's link by its id (the id is the capability). @throws payment_link_not_found */
    forPage,

    /** @throws invalid_payment_link, duplicate_payment_link_reference, webhook_target_forbidden */
    async create(
      companyId: string,
      accessKey: string | null,
      input: CreateLinkInput,
      publicBase: string,
      finish?: (tx: Executor, link: PaymentLink) => Promise<void>,
    ): Promise<PaymentLink> {
      if (input.notifyUrl !== undefined) await events.checkNotifyUrl(companyId, input.notifyUrl, 'notifyUrl');
      return withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        checkCreate(input, now);
        const id = newLinkId(now);
        const link: PaymentLink = {
          id,
          companyId,
          referenceId: input.referenceId ?? null,
          accessKey,
          amountPaise: input.amountPaise,
          amountPaidPaise: 0n,
          partialPayment: input.partialPayment ?? false,
          minPartialPaise: input.minPartialPaise ?? null,
          customerName: input.customerName ?? null,
          customerEmail: input.customerEmail ?? null,
          customerMobile: input.customerMobile ?? null,
          description: input.description ?? null,
          notifyUrl: input.notifyUrl ?? null,
          sendSms: input.sendSms ?? false,
          sendEmail: input.sendEmail ?? false,
          paymentLink: `${publicBase}/pay/link/${id}`,
          status: 'ACTIVE',
          dueDate: input.dueDate ?? null,
          expiryDate: input.expiryDate ?? null,
          cancelledAt: null,
          paidAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertLink(tx, link);
        if (link.dueDate)
          await timers.schedule(tx, {
            companyId,
            dueAt: link.dueDate,
            kind: LINK_DUE_DATE_TIMER,
            payload: { linkId: id },
            dedupeKey: `${LINK_DUE_DATE_TIMER}:${id}`,
          });
        if (link.expiryDate)
          await timers.schedule(tx, {
            companyId,
            dueAt: link.expiryDate,
            kind: LINK_EXPIRY_TIMER,
            payload: { linkId: id },
            dedupeKey: `${LINK_EXPIRY_TIMER}:${id}`,
          });
        const merchantName = await deps.merchantName(tx, companyId);
        for (const notice of linkNotices(link, merchantName)) await notices.record(tx, companyId, notice);
        await finish?.(tx, link);
        return link;
      }).catch((err: unknown) => {
        if (uniqueViolation(err) !== 'uq_gateway_payment_links_company_reference_id') throw err;
        throw new DuplicatePaymentLinkReferenceError(`A payment link with referenceId ${input.referenceId} already exists`, { param: 'referenceId' });
      });
    },

    /** The link and its captured payments. @throws payment_link_not_found */
    async get(companyId: string, id: string): Promise<{ link: PaymentLink; payments: LinkOrder[] }> {
      const link = await get(companyId, id);
      return { link, payments: await repo.listLinkOrders(db, companyId, id, 'PAID') };
    },

    search(companyId: string, filters: repo.LinkFilters, page: PageRequest) {
      return repo.searchLinks(db, companyId, filters, page);
    },

    /**
     * Cancels an open link (Delete Payment Link): its open orders are cancelled first; one with a
     * payment at the bank makes the cancel wait (409). A PAID link keeps its status.
     * @throws payment_link_not_found, payment_link_not_cancellable
     */
    async cancel(companyId: string, id: string): Promise<PaymentLink> {
      const before = await get(companyId, id);
      const refuse = (status: LinkStatus) =>
        new PaymentLinkNotCancellableError(`The payment link is ${status} and cannot be cancelled`, { param: 'quickCollectRequestId' });
      if (!isOpen(before.status)) throw refuse(before.status);
      // The page may open an order between closing the orders and the cancel: the cancel commits
      // only when, under the link's lock, none is open (else a cancelled link could still be paid).
      for (let attempt = 1; ; attempt++) {
        await closeOpenOrders(
          before,
          'Payment link cancelled',
          () =>
            new PaymentLinkNotCancellableError('A payment of this link is with the bank; cancel it when that payment ends', { param: 'quickCollectRequestId' }),
        );
        const cancelled = await withTransaction(db, async (tx) => {
          const link = (await repo.findLink(tx, companyId, id, true))!;
          if (!isOpen(link.status)) throw refuse(link.status);
          if ((await repo.listLinkOrders(tx, companyId, id, 'OPEN')).length > 0) return null;
          const now = await clock.now(companyId, tx);
          await repo.updateLink(tx, companyId, id, { status: 'CANCELLED', cancelledAt: now, updatedAt: now });
          return { ...link, status: 'CANCELLED' as const, cancelledAt: now, updatedAt: now };
        });
        if (cancelled) return cancelled;
        if (attempt >= MAX_START_ATTEMPTS)
          throw new PaymentLinkNotCancellableError('A payment of this link is being started; try the cancel again', { param: 'quickCollectRequestId' });
      }
    },

    /**
     * The page's "pay": a gateway order for `amountPaise` (the amount due unless partial payments
     * are allowed), replacing the link's previous open order. Returns the order id for the hosted checkout.
     * @throws payment_link_not_found, payment_link_not_payable
     */
    async startPayment(id: string, amountPaise: bigint | undefined): Promise<string> {
      const link = await forPage(id);
      const notPayable = (message: string, param = 'quickCollectRequestId') => new PaymentLinkNotPayableError(message, { param });
      if (!isOpen(link.status)) throw notPayable(`The payment link is ${link.status} and takes no payment`);
      const range = payableRange(link);
      const amount = amountPaise ?? range.maxPaise;
      if (amount < range.minPaise || amount > range.maxPaise) {
        throw notPayable(
          range.minPaise === range.maxPaise
            ? `The amount must be ${rupees(range.maxPaise)}`
            : `The amount must be between ${rupees(range.minPaise)} and ${rupees(range.maxPaise)}`,
          'amount',
        );
      }
      // Two submissions at once (a double click, two tabs) must not leave two payable orders, or
      // both could be paid and the link overpaid: the order is recorded only under the link's lock
      // when no other is open; the losing submission replaces the winner's order and tries again,
      // so the last submission is the one the customer pays (its response is the page they see).
      for (let attempt = 1; ; attempt++) {
        await closeOpenOrders(link, 'Replaced by a new payment of the link', () => notPayable('A payment of this link is with the bank; wait for it to end'));
        const sequence = (await repo.listLinkOrders(db, link.companyId, link.id)).length + 1;
        try {
          const order = await gateway.orders.create(
            link.companyId,
            link.accessKey,
            {
              merchantOrderId: `${link.id}-${sequence}`,
              amountPaise: amount,
              description: link.description ?? `Payment link ${link.referenceId ?? link.id}`,
              origin: { kind: 'LINK', id: link.id },
              customerInfo: {
                ...(link.customerName ? { firstName: link.customerName.slice(0, 100) } : {}),
                ...(link.customerEmail ? { email: link.customerEmail } : {}),
                ...(link.customerMobile ? { phoneNumber: link.customerMobile } : {}),
              },
            },
            async (tx, created) => {
              // Re-read under lock: the link may have been paid, cancelled or expired since the check above.
              const locked = (await repo.findLink(tx, link.companyId, link.id, true))!;
              if (!isOpen(locked.status) || amount > amountDue(locked)) throw notPayable(`The payment link is ${locked.status} and takes no payment`);
              if ((await repo.listLinkOrders(tx, link.companyId, link.id, 'OPEN')).length > 0) throw new ConcurrentLinkOrder();
              await repo.insertLinkOrder(tx, {
                orderId: created.id,
                companyId: link.companyId,
                linkId: link.id,
                sequence,
                amountPaise: amount,
                status: 'OPEN',
                transactionId: null,
                paymentMode: null,
                paidAt: null,
                createdAt: created.createdAt,
              });
            },
          );
          return order.id;
        } catch (err) {
          // DuplicateOrderIdError: another submission took this sequence number first.
          if (!(err instanceof ConcurrentLinkOrder || err instanceof DuplicateOrderIdError)) throw err;
          if (attempt >= MAX_START_ATTEMPTS) throw notPayable('Another payment of this link was started at the same time; reload the page and try again');
        }
      }
    },
  };
}
