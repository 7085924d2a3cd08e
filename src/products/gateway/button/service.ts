import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import type { PageRequest } from '../../../core/http/pagination.js';
import type { SandboxClock } from '../../../core/jobs/types.js';
import type { Order, OrdersService } from '../index.js';
import { PaymentButtonInactiveError, PaymentButtonNotFoundError } from './errors.js';
import {
  checkDefinition,
  clickOrderId,
  DEFAULT_BUTTON_COLOR,
  DEFAULT_BUTTON_LABEL,
  newButtonId,
  orderForClick,
  type ButtonDefinition,
  type ButtonStatus,
  type ButtonTotals,
  type ClickInput,
  type PaymentButton,
} from './model.js';
import * as repo from './repository.js';

/** A definition as the routes parse it: amounts already in paise, absent fields undefined. */
export type ButtonInput = Partial<Omit<ButtonDefinition, 'description' | 'notifyUrl' | 'returnUrl'>> & {
  description?: string | null | undefined;
  notifyUrl?: string | null | undefined;
  returnUrl?: string | null | undefined;
};

export interface ButtonsDeps {
  db: Executor;
  clock: SandboxClock;
  /** The gateway's orders: a click creates one. */
  orders: OrdersService;
  /** Refuses a notifyUrl a live company may not target (events service). */
  checkNotifyUrl(companyId: string, url: string): Promise<void>;
  /** Whether the merchant access key is still active (a revoked one must not sign new orders). */
  isActiveKey(companyId: string, accessKey: string): Promise<boolean>;
}

export type ButtonWithTotals = PaymentButton & { totals: ButtonTotals };

export type ButtonsService = ReturnType<typeof createButtonsService>;

/** Payment buttons (ADR 0022): definitions a merchant keeps, and the orders their clicks create. */
export function createButtonsService(deps: ButtonsDeps) {
  const { db, clock, orders } = deps;

  async function loadOrThrow(exec: Executor, companyId: string | null, id: string, lock?: 'update' | 'share'): Promise<PaymentButton> {
    const button = await repo.findButton(exec, companyId, id, lock);
    if (!button) throw new PaymentButtonNotFoundError('Payment button not found', { param: 'buttonId' });
    return button;
  }

  async function withTotals(exec: Executor, button: PaymentButton): Promise<ButtonWithTotals> {
    const totals = await repo.totalsOf(exec, button.companyId, [button.id]);
    return { ...button, totals: totals.get(button.id)! };
  }

  async function setStatus(companyId: string, id: string, status: ButtonStatus): Promise<ButtonWithTotals> {
    return withTransaction(db, async (tx) => {
      const button = await loadOrThrow(tx, companyId, id, 'update');
      // Activating an active button (or the reverse) changes nothing, so a retried PATCH answers the same.
      if (button.status === status) return withTotals(tx, button);
      return withTotals(tx, await repo.updateButton(tx, companyId, id, { status, updatedAt: await clock.now(companyId, tx) }));
    });
  }

  return {
    /** @throws validation_failed, webhook_target_forbidden (notifyUrl) */
    async create(companyId: string, accessKey: string | null, input: ButtonInput): Promise<ButtonWithTotals> {
      const definition: ButtonDefinition = {
        title: input.title!,
        description: input.description ?? null,
        amountType: input.amountType!,
        amountPaise: input.amountPaise ?? null,
        minAmountPaise: input.minAmountPaise ?? null,
        maxAmountPaise: input.maxAmountPaise ?? null,
        fields: input.fields ?? [],
        notifyUrl: input.notifyUrl ?? null,
        returnUrl: input.returnUrl ?? null,
        buttonLabel: input.buttonLabel ?? DEFAULT_BUTTON_LABEL,
        buttonColor: input.buttonColor ?? DEFAULT_BUTTON_COLOR,
      };
      checkDefinition(definition);
      if (definition.notifyUrl !== null) await deps.checkNotifyUrl(companyId, definition.notifyUrl);
      return withTransaction(db, async (tx) => {
        const now = await clock.now(companyId, tx);
        const button: PaymentButton = { id: newButtonId(now), companyId, accessKey, ...definition, status: 'ACTIVE', createdAt: now, updatedAt: now };
        await repo.insertButton(tx, button);
        return { ...button, totals: { paymentsCount: 0, amountCollectedPaise: 0n } };
      });
    },

    /**
     * Edits a definition; fields left out keep their value, `null` clears an optional one. A new
     * amountType drops the amounts of the old one unless the edit sets them. Orders already made
     * keep what they were made with.
     * @throws payment_button_not_found, validation_failed, webhook_target_forbidden
     */
    async update(companyId: string, id: string, input: ButtonInput): Promise<ButtonWithTotals> {
      if (typeof input.notifyUrl === 'string') await deps.checkNotifyUrl(companyId, input.notifyUrl);
      return withTransaction(db, async (tx) => {
        const button = await loadOrThrow(tx, companyId, id, 'update');
        const typeChanged = input.amountType !== undefined && input.amountType !== button.amountType;
        const pick = <K extends keyof ButtonDefinition>(key: K, keep: boolean = true): ButtonDefinition[K] =>
          input[key] !== undefined ? (input[key] as ButtonDefinition[K]) : keep ? button[key] : (null as ButtonDefinition[K]);
        const definition: ButtonDefinition = {
          title: pick('title'),
          description: pick('description'),
          amountType: pick('amountType'),
          amountPaise: pick('amountPaise', !typeChanged),
          minAmountPaise: pick('minAmountPaise', !typeChanged),
          maxAmountPaise: pick('maxAmountPaise', !typeChanged),
          fields: pick('fields'),
          notifyUrl: pick('notifyUrl'),
          returnUrl: pick('returnUrl'),
          buttonLabel: pick('buttonLabel'),
          buttonColor: pick('buttonColor'),
        };
        checkDefinition(definition);
        return withTotals(tx, await repo.updateButton(tx, companyId, id, { ...definition, updatedAt: await clock.now(companyId, tx) }));
      });
    },

    /** @throws payment_button_not_found */
    get: async (companyId: string, id: string): Promise<ButtonWithTotals> => withTotals(db, await loadOrThrow(db, companyId, id)),

    async list(companyId: string, filters: repo.ButtonFilters, page: PageRequest): Promise<{ rows: ButtonWithTotals[]; total: number }> {
      const { rows, total } = await repo.listButtons(db, companyId, filters, page);
      const totals = await repo.totalsOf(
        db,
        companyId,
        rows.map((b) => b.id),
      );
      return { rows: rows.map((b) => ({ ...b, totals: totals.get(b.id)! })), total };
    },

    activate: (companyId: string, id: string) => setStatus(companyId, id, 'ACTIVE'),
    deactivate: (companyId: string, id: string) => setStatus(companyId, id, 'INACTIVE'),

    /** The public side: a button by its id alone, for the embed script. @throws payment_button_not_found */
    publicGet: (id: string): Promise<PaymentButton> => loadOrThrow(db, null, id),

    /**
     * A payer's click: a new gateway order of the button's company with a merchant orderId unique
     * to the click, the amount and fields checked against the button. The button is read again
     * under a share lock in the order's transaction, so a deactivation either waits for the click
     * or refuses it.
     * @throws payment_button_not_found, payment_button_inactive, validation_failed, invalid_amount
     */
    async click(id: string, input: ClickInput): Promise<Order> {
      const button = await loadOrThrow(db, null, id);
      const inactive = () => new PaymentButtonInactiveError('This payment button is not accepting payments', { param: 'buttonId' });
      if (button.status !== 'ACTIVE') throw inactive();
      const order = orderForClick(button, input);
      // The key that made the button signs its orders' notify checksum, unless the merchant has revoked it
      // since (a leaked secret): then the order is signed as a keyless one, with the company's active key.
      const accessKey = button.accessKey !== null && (await deps.isActiveKey(button.companyId, button.accessKey)) ? button.accessKey : null;
      return orders.create(
        button.companyId,
        accessKey,
        {
          merchantOrderId: clickOrderId(button.id),
          amountPaise: order.amountPaise,
          returnUrl: button.returnUrl ?? undefined,
          notifyUrl: button.notifyUrl ?? undefined,
          description: button.title,
          customerInfo: order.customerInfo,
          customParameters: order.customParameters,
          origin: { kind: 'BUTTON', id: button.id },
        },
        async (tx, created) => {
          if ((await loadOrThrow(tx, button.companyId, button.id, 'share')).status !== 'ACTIVE') throw inactive();
          await repo.insertButtonOrder(tx, { companyId: button.companyId, orderId: created.id, buttonId: button.id, createdAt: created.createdAt });
        },
      );
    },
  };
}
