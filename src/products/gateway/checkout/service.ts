import type { Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { AppError } from '../../../core/errors/app-error.js';
import type { SandboxClock } from '../../../core/jobs/types.js';
import { formatRupees } from '../../../core/money/index.js';
import type { Scenario } from '../../../rails/scenario.js';
import { attemptsLeft, bankPageUrl, serializeSubmit, upiAppLinks, upiQrPng, type Gateway, type Order, type Payment, type PaymentResult } from '../index.js';
import { allowsCheckoutOrigin, PAYMENT_MODES, type GatewaySettings, type PaymentMode } from '../settings/index.js';
import { refuseRedirectChoice } from './charge-rejection.js';
import { CheckoutCardEncodingError, CheckoutMismatchError, CheckoutOrderNotFoundError, CheckoutOriginError, CheckoutStateError } from './errors.js';
import {
  CHECKOUT_CANCEL_URL,
  CHECKOUT_PROCESS_URL,
  TOP_NETBANKING_CODES,
  UPI_POLL_INTERVAL_MS,
  intentUri,
  isFinal,
  upiPollStatus,
  type BankListItem,
  type CheckoutDetail,
  type UpiApp,
} from './model.js';
import * as repo from './repository.js';

export interface CheckoutDeps {
  db: Executor;
  gateway: Gateway;
  clocks: SandboxClock;
  settings: { get(exec: Executor, companyId: string): Promise<GatewaySettings> };
}

/** `paymentDetail` of `POST /pay/charge/process` (reference §2.4): card fields base64, the rest as submit's. */
export interface ChargeDetail {
  paymentMode: PaymentMode;
  cardNumber?: string | undefined;
  cvv?: string | undefined;
  expiry?: string | undefined;
  cardHolderName?: string | null | undefined;
  bankCode?: string | undefined;
  vpa?: string | undefined;
  bnplPaymentOptionId?: string | undefined;
}

/**
 * How a public call names its transaction: the id alone is the capability (ADR 0035); a
 * `publicIdentifierKey`, when sent (the hosted page sends it), must be the transaction's. `origin`:
 * the calling page's origin when it is another site's, checked against the merchant's allow-list.
 */
export interface PublicKeys {
  transactionId: string;
  publicIdentifierKey?: string | undefined;
  origin?: string | undefined;
}

/** What the simulated bank page shows for a transaction. */
export type BankStep =
  | { kind: 'final' }
  | { kind: 'checkout' }
  | { kind: 'otp'; rupay: boolean }
  | { kind: 'challenge' }
  | { kind: 'netbanking'; code: string; name: string }
  | { kind: 'wallet'; mode: 'WALLET' | 'PAY_LATER'; code: string; name: string }
  | { kind: 'waiting' };

const CARD_MODE_OF_TYPE: Record<string, PaymentMode> = { CREDIT: 'CREDIT_CARD', DEBIT: 'DEBIT_CARD', PREPAID: 'PREPAID_CARD', CORPORATE: 'CORPORATE_CARD' };
const CARD_MODES: readonly PaymentMode[] = ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD'];
const CARD_SCHEMES = ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'];
/** Modes whose customer goes to the bank's (simulated) page before the rail is called. */
const REDIRECT_MODES: readonly PaymentMode[] = ['NET_BANKING', 'WALLET', 'PAY_LATER'];

/** Decodes a base64 card field (reference §2.4) and checks its shape; the value is never logged or stored. */
function decodeCardField(value: string | undefined, field: 'cardNumber' | 'cvv' | 'expiry'): string {
  const shape = { cardNumber: /^[0-9 -]{12,23}$/, cvv: /^[0-9]{3,4}$/, expiry: /^[0-9]{2}\/[0-9]{2}$/ }[field];
  const text = value !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
  if (!shape.test(text))
    throw new CheckoutCardEncodingError(`Invalid field paymentDetail.${field}: must be base64 of ${field === 'expiry' ? 'MM/YY' : 'digits'}`, { param: field });
  return text;
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;

/**
 * The hosted checkout (reference §2.4): the public, token-less side of an order. Every call is
 * addressed by the EnKash order id (the page) or by a transaction id with its
 * `publicIdentifierKey`; payments, orders and fees are G2's services, reached through the
 * gateway's index. The checkout adds the customer's steps: the contact details, the bank's login
 * and confirmation pages for netbanking and wallets, the QR code, and the return to `returnUrl`.
 */
export function createCheckoutService(deps: CheckoutDeps) {
  const { db, gateway, clocks } = deps;
  const { payments, orders } = gateway;

  /** Refuses a page of another site that the merchant has not allowed (ADR 0035). @throws checkout_origin_not_allowed */
  async function assertOrigin(companyId: string, origin: string | undefined): Promise<void> {
    if (origin === undefined) return;
    if (!allowsCheckoutOrigin(await deps.settings.get(db, companyId), origin))
      throw new CheckoutOriginError(`Origin ${origin.slice(0, 200)} may not call this merchant's checkout`, { param: 'origin' });
  }

  async function load(keys: PublicKeys): Promise<PaymentResult> {
    const result = await payments.getPublic(keys.transactionId, keys.publicIdentifierKey);
    await assertOrigin(result.order.companyId, keys.origin);
    return result;
  }

  function providerLists() {
    const asBank = (b: { code: string; name: string }): BankListItem => ({ code: b.code, name: b.name, image: null, netBankingAccountType: 'RETAIL' });
    const banks = payments.banks().map(asBank);
    return {
      banks,
      topBanks: TOP_NETBANKING_CODES.flatMap((code) => banks.filter((b) => b.code === code)),
      wallets: payments.wallets('WALLET').map((w) => ({ code: w.code, name: w.name })),
      payLater: payments.wallets('PAY_LATER').map((w) => ({ code: w.code, name: w.name })),
    };
  }

  async function detailOf(order: Order, payment: Payment): Promise<CheckoutDetail> {
    const settings = await deps.settings.get(db, order.companyId);
    const customer = await repo.latestCustomer(db, order.companyId, order.id);
    const now = await clocks.now(order.companyId);
    const enabled = (mode: PaymentMode) => settings.enabledModes.includes(mode);
    const schemes = (mode: PaymentMode) => (enabled(mode) ? [...CARD_SCHEMES] : []);
    const lists = providerLists();
    const info = order.customerInfo ?? {};
    const name = [info.firstName, info.lastName].filter(Boolean).join(' ');
    return {
      orderId: order.id,
      merchantOrderId: order.merchantOrderId,
      orderStatus: order.status,
      description: order.description,
      transactionId: payment.id,
      uniqueTransactionId: payment.uniqueTransactionId,
      publicIdentifierKey: payment.publicIdentifierKey,
      amount: formatRupees(order.amountPaise),
      totalAmount: formatRupees(order.amountPaise),
      currency: 'INR',
      surcharges: Object.fromEntries(Object.entries(settings.feeRules).map(([key, paise]) => [key, formatRupees(paise)])),
      surchargeGst: settings.surchargeGstPercent,
      merchantInfo: {
        merchantName: settings.merchantName,
        checkoutLogo: null,
        checkoutColorScheme: null,
        hideAppIntentLinks: false,
        upiVpaEnabled: enabled('UPI'),
      },
      upi: enabled('UPI'),
      upiQrCodeEnabled: enabled('UPI'),
      creditCard: enabled('CREDIT_CARD'),
      debitCard: enabled('DEBIT_CARD'),
      prepaidCard: enabled('PREPAID_CARD'),
      corporateCard: enabled('CORPORATE_CARD'),
      creditCardSchemes: schemes('CREDIT_CARD'),
      debitCardSchemes: schemes('DEBIT_CARD'),
      prepaidCardSchemes: schemes('PREPAID_CARD'),
      corporateCardSchemes: schemes('CORPORATE_CARD'),
      cardSchemesSupported: CARD_MODES.some(enabled) ? [...CARD_SCHEMES] : [],
      netBanking: enabled('NET_BANKING'),
      netBankingList: enabled('NET_BANKING') ? lists.banks : [],
      topNetBankingList: enabled('NET_BANKING') ? lists.topBanks : [],
      wallet: enabled('WALLET'),
      walletList: enabled('WALLET') ? lists.wallets : [],
      payLater: enabled('PAY_LATER'),
      payLaterList: enabled('PAY_LATER') ? lists.payLater : [],
      name: name || null,
      phone: customer?.mobile ?? info.phoneNumber ?? null,
      email: customer?.email ?? info.email ?? null,
      skipContactInfo: false,
      paymentAttemptLeft: attemptsLeft(order) > 0,
      checkoutProcessURL: CHECKOUT_PROCESS_URL,
      checkoutCancelURL: CHECKOUT_CANCEL_URL,
      returnURL: order.returnUrl,
      upiCollectTimeout: settings.upiCollectTimeoutMinutes,
      savedCards: [],
      points: false,
      connectedBanking: false,
      multiplePaymentOption: false,
      anyPaymentModeActive: PAYMENT_MODES.some(enabled),
      error: null,
      expiresAt: order.expiresAt.toISOString(),
      expiresInSeconds: Math.max(0, Math.floor((order.expiresAt.getTime() - now.getTime()) / 1000)),
      pollIntervalMs: UPI_POLL_INTERVAL_MS,
    };
  }

  /**
   * The answer of a charge: the server-to-server submit answer's fields the checkout script reads
   * (reference §2.4), with `ekPayId` for UPI polling and, for a bank page, its own redirection.
   */
  function chargeAnswer(result: PaymentResult, baseUrl: string, redirectionUrl: string | null = null, popupMode = false) {
    const s = serializeSubmit(result, baseUrl);
    const p = result.payment;
    let url = redirectionUrl ?? s.redirectionUrl;
    // The SDK's popup waits on the bank page while a card is with its bank (it reads an answer
    // with neither a redirect nor `dauth` as a failure), and ends on a page that closes itself.
    if (popupMode && url === null && !isFinal(p) && p.upiFlow === null && p.step !== 'NEW') url = bankPageUrl(baseUrl, p);
    if (popupMode && url !== null) url += '&popupMode=true';
    return {
      transactionId: s.transactionId,
      uniqueTransactionId: s.uniqueTransactionId,
      orderId: s.orderId,
      transactionStatus: s.transactionStatus,
      orderStatus: s.orderStatus,
      paymentMode: s.paymentMode,
      amount: s.amount,
      finalAmount: s.finalAmount,
      currency: s.currency,
      redirectionUrl: url,
      /** Final with no redirect (a frictionless card): the SDK reads this answer as final only with `dauth: true`. */
      dauth: p.status === 'SUCCESS' && url === null,
      renderOtpPage: s.renderOtpPage,
      rupay: s.rupay,
      ekPayId: p.upiFlow !== null ? p.id : null,
      intentUrl: s.intentUrl,
      resultCode: s.resultCode,
      resultMessage: s.resultMessage,
      error: s.error,
    };
  }

  /**
   * The transaction's UPI intent (QR code, app links): registered with the rail once, when first
   * asked for. Nobody has scanned it yet, so the payer waits (scenario `pending`) until the
   * sandbox payer control answers (`POST /pay/checkout/sandbox/upi-payer/…`) or it expires; a
   * request's own scenario still decides.
   */
  async function ensureIntent(keys: PublicKeys, scenario: Scenario | undefined): Promise<PaymentResult> {
    const current = await load(keys);
    if (current.payment.upiFlow === 'INTENT' && current.payment.upiUri !== null) return current;
    if (current.payment.step !== 'NEW')
      throw new CheckoutStateError('This transaction has already been paid by another method; reload the checkout', { param: 'transactionId' });
    const result = await payments.process(current.payment.companyId, current.payment.id, { paymentMode: 'UPI' }, { scenario: scenario ?? { name: 'pending' } });
    // A switch that refused the request at once leaves no link to show.
    if (result.payment.upiUri === null)
      throw new CheckoutStateError(`The UPI request could not be created: ${result.payment.txnMsg}`, { param: 'transactionId' });
    return result;
  }

  /** Cancels the order's attempts that are not with the bank (this one among them), under the order's lock. */
  async function closeAttempts(result: PaymentResult, reason: string): Promise<PaymentResult> {
    const { payment, order } = result;
    if (isFinal(payment)) throw new CheckoutStateError(`The transaction is already ${payment.status}`, { param: 'transactionId' });
    if (payment.step !== 'NEW' && payment.step !== 'OTP' && payment.step !== 'CHALLENGE') {
      throw new CheckoutStateError('The payment is with the bank and can no longer be cancelled; wait for its outcome', { param: 'transactionId' });
    }
    await withTransaction(db, async (tx) => {
      await repo.lockOrder(tx, order.companyId, order.id);
      const locked = await orders.get(order.companyId, order.id, tx);
      await payments.attempts.closeOpen(tx, locked, await clocks.now(order.companyId, tx), reason);
    });
    return payments.get(order.companyId, payment.id);
  }

  return {
    /**
     * Opens the checkout of an order: its transaction (created when the page first renders; the
     * order becomes CHECKOUT_RENDERED) and the order detail of reference §2.4.
     * @throws checkout_order_not_found, order_not_payable
     */
    async open(orderId: string, origin?: string): Promise<CheckoutDetail> {
      const companyId = await repo.findOrderCompany(db, orderId);
      if (companyId === undefined) throw new CheckoutOrderNotFoundError(`No order ${orderId}`, { param: 'orderId' });
      // Before the attempt is made: a refused page changes nothing.
      await assertOrigin(companyId, origin);
      const { order, payment } = await payments.createAttempt(companyId, orderId);
      return detailOf(order, payment);
    },

    /** The order behind an order id, for a page that explains why it takes no payment. */
    async orderOf(orderId: string): Promise<Order | undefined> {
      const companyId = await repo.findOrderCompany(db, orderId);
      return companyId === undefined ? undefined : orders.get(companyId, orderId);
    },

    /** `PATCH /pay/checkout/customer-info/{transactionId}`. @throws payment_not_found, checkout_mismatch */
    async saveCustomer(keys: PublicKeys, input: { customerEmail?: string | null; customerMobile?: string | null; merchantAccessKey?: string | null }) {
      const { payment, order } = await load(keys);
      // The SDK sends the order detail's publicIdentifierKey here (reference §2.4); a client of the docs, the merchant's key.
      const known = [order.accessKey, payment.publicIdentifierKey];
      if (input.merchantAccessKey && order.accessKey !== null && !known.includes(input.merchantAccessKey)) {
        throw new CheckoutMismatchError('merchantAccessKey is not the key of this order', { param: 'merchantAccessKey' });
      }
      const row = {
        transactionId: payment.id,
        companyId: payment.companyId,
        orderId: order.id,
        email: input.customerEmail ?? null,
        mobile: input.customerMobile ?? null,
        updatedAt: await clocks.now(payment.companyId),
      };
      await repo.upsertCustomer(db, row);
      return { transactionId: payment.id, customerEmail: row.email, customerMobile: row.mobile };
    },

    /** BIN details (reference §2.4), or null for an unknown network. */
    binOf(bin: string) {
      const info = payments.binDetails(bin);
      return info ? { cardSchemeType: info.network, cardType: info.cardType, pgCode: info.bankCode, bankName: info.issuer, bankEntityName: info.issuer } : null;
    },

    /** BIN details for the card form (reference §2.4), for a checkout transaction. @throws payment_not_found, checkout_origin_not_allowed */
    async binDetails(keys: PublicKeys, bin: string) {
      await load(keys);
      return this.binOf(bin);
    },

    /**
     * `POST /pay/charge/process`: cards and UPI collects go to the rail at once; netbanking,
     * wallets and pay later first send the customer to the bank's page (`redirectionUrl`).
     * @throws payment_not_found, checkout_mismatch, checkout_card_encoding, checkout_state_conflict, and process's errors
     */
    async charge(
      keys: PublicKeys & { uniqueTransactionId?: string | undefined },
      detail: ChargeDetail,
      ctx: { baseUrl: string; scenario?: Scenario | undefined; popupMode?: boolean | undefined },
    ) {
      const { payment, order } = await load(keys);
      const popup = ctx.popupMode === true;
      if (keys.uniqueTransactionId !== undefined && keys.uniqueTransactionId !== payment.uniqueTransactionId) {
        throw new CheckoutMismatchError('uniqueTransactionId is not the one of this transaction', { param: 'uniqueTransactionId' });
      }
      let mode = detail.paymentMode;
      if (REDIRECT_MODES.includes(mode)) {
        const code = detail.bankCode ?? detail.bnplPaymentOptionId ?? '';
        const settings = await deps.settings.get(db, payment.companyId);
        const known = mode === 'NET_BANKING' ? payments.banks() : payments.wallets(mode === 'PAY_LATER' ? 'PAY_LATER' : 'WALLET');
        refuseRedirectChoice(mode, code, settings.enabledModes, known);
        if (payment.step !== 'NEW')
          throw new CheckoutStateError('This transaction has already been processed; reload the checkout', { param: 'transactionId' });
        const url = `${bankPageUrl(ctx.baseUrl, payment)}&paymentMode=${mode}&bankCode=${encodeURIComponent(code)}`;
        return chargeAnswer({ payment, order }, ctx.baseUrl, url, popup);
      }
      if (CARD_MODES.includes(mode)) {
        const cardNumber = decodeCardField(detail.cardNumber, 'cardNumber');
        const card = { cardNumber, cvv: decodeCardField(detail.cvv, 'cvv'), expiry: decodeCardField(detail.expiry, 'expiry') };
        // The checkout takes the card's own type: the customer types a number, not a mode.
        const bin = payments.binDetails(cardNumber.replace(/\D/g, ''));
        mode = (bin && CARD_MODE_OF_TYPE[bin.cardType]) ?? mode;
        const holder = detail.cardHolderName ?? undefined;
        const result = await payments.process(
          payment.companyId,
          payment.id,
          { paymentMode: mode, ...card, cardHolderName: holder || undefined },
          { scenario: ctx.scenario },
        );
        return chargeAnswer(result, ctx.baseUrl, null, popup);
      }
      // UPI: a VPA is a collect; without one, the intent of the QR code and app links.
      if (detail.vpa === undefined) return chargeAnswer(await ensureIntent(keys, ctx.scenario), ctx.baseUrl);
      const result = await payments.process(payment.companyId, payment.id, { paymentMode: 'UPI', vpa: detail.vpa }, { scenario: ctx.scenario });
      return chargeAnswer(result, ctx.baseUrl);
    },

    /** `GET /pay/checkout/qrcode/{transactionId}`: a PNG QR of the intent link. */
    async qrCode(keys: PublicKeys, scenario?: Scenario) {
      const { payment } = await ensureIntent(keys, scenario);
      return { qrCode: await upiQrPng(payment.upiUri!), qrUrl: payment.upiUri!, ekPayId: payment.id };
    },

    /**
     * `GET /pay/checkout/upi-detail/{transactionId}`: the app links of the transaction's UPI
     * intent, with no side effect (the SDK calls it before the customer picks an app). The links
     * are the ones `intent-transaction` registers with the rail: the same payee, amount (UPI's
     * fees included), reference and note. @throws checkout_state_conflict
     */
    async upiDetail(keys: PublicKeys) {
      const { payment, order } = await load(keys);
      if (payment.upiFlow === 'INTENT' && payment.upiUri !== null) return { transactionId: payment.id, ...upiAppLinks(payment.upiUri) };
      if (payment.step !== 'NEW')
        throw new CheckoutStateError('This transaction has already been paid by another method; reload the checkout', { param: 'transactionId' });
      const settings = await deps.settings.get(db, order.companyId);
      if (!settings.enabledModes.includes('UPI')) throw new CheckoutStateError('Payment mode UPI is not enabled for this merchant', { param: 'paymentMode' });
      return { transactionId: payment.id, ...upiAppLinks(intentUri(order, payment, settings)) };
    },

    /** `POST /pay/charge/intent-transaction`: the customer opens an app; the answer names the app's link. */
    async intentTransaction(keys: PublicKeys, app: UpiApp, ctx: { baseUrl: string; scenario?: Scenario | undefined }) {
      const result = await ensureIntent(keys, ctx.scenario);
      const links = upiAppLinks(result.payment.upiUri!);
      return { ...chargeAnswer(result, ctx.baseUrl), intentUrl: links[app], bankCode: app };
    },

    /** `GET /pay/checkout/status/upi/{ekPayId}` (the ekPayId is the transaction id). */
    async upiStatus(keys: PublicKeys) {
      const { payment } = await load(keys);
      return { transactionId: payment.id, ekPayId: payment.id, status: upiPollStatus(payment) };
    },

    /**
     * `GET /api/v0/transactions/{transactionId}/minimal` (reference §2.4): what the browser may see
     * of the transaction, with the checksum of the return. An explicit allow-list of the notify
     * body: the merchant's own fees (MDR) and the card token stay out.
     */
    async minimal(keys: PublicKeys) {
      const result = await load(keys);
      const n = await payments.notifyView(result);
      const { order } = result;
      return {
        paymentAttemptLeft: attemptsLeft(order) > 0,
        orderId: n.orderId,
        merchantOrderId: order.merchantOrderId,
        orderStatus: n.orderStatus,
        status: n.status,
        transactionStatus: n.transactionStatus,
        checksum: n.checksum,
        uniqueTransactionId: n.uniqueTransactionId,
        transactionId: n.transactionId,
        amount: n.amount,
        surcharge: n.surcharge,
        surchargeGst: n.surchargeGst,
        finalAmount: n.finalAmount,
        currency: n.currency,
        paymentMode: n.paymentMode,
        bankCode: n.bankCode,
        bankName: n.bankName,
        cardScheme: n.cardScheme,
        maskedCardNumber: n.maskedCardNumber,
        bankTransactionId: n.bankTransactionId,
        txnMsg: n.txnMsg,
        txnDate: n.txnDate,
        customParameters: order.customParameters,
      };
    },

    /** `PATCH /pay/charge/cancel`: the customer gives up; the order stays payable. @throws checkout_state_conflict */
    async cancel(keys: PublicKeys, remark: string | undefined) {
      return closeAttempts(await load(keys), remark?.trim() || 'Cancelled by the customer');
    },

    /** `PATCH /pay/charge/expire`: the page timed out; a UPI request waiting at the bank is withdrawn, FAILED (ADR 0045). @throws checkout_state_conflict */
    async expire(keys: PublicKeys, remark: string | undefined) {
      const result = await load(keys);
      const reason = `Checkout timed out${remark?.trim() ? ` (${remark.trim()})` : ''}`;
      const { upiFlow, step, companyId, id } = result.payment;
      return upiFlow !== null && step === 'BANK' ? payments.withdrawUpi(companyId, id, `${reason}: UPI request withdrawn`) : closeAttempts(result, reason);
    },

    /** `PATCH /pay/charge/order/cancel`: the customer cancels the order itself. @throws order_not_cancellable */
    async cancelOrder(keys: PublicKeys, reason: string | undefined) {
      const { payment, order } = await load(keys);
      await orders.cancel(order.companyId, order.id, reason?.trim() || 'Cancelled by the customer on the checkout page');
      return payments.get(order.companyId, payment.id);
    },

    /** What the bank page shows now (`mode`/`code`: the netbanking or wallet choice the charge sent along). */
    async bankStep(
      keys: PublicKeys,
      choice: { paymentMode?: string | undefined; bankCode?: string | undefined },
    ): Promise<{ result: PaymentResult; step: BankStep }> {
      const result = await load(keys);
      const p = result.payment;
      if (isFinal(p)) return { result, step: { kind: 'final' } };
      if (p.step === 'OTP') return { result, step: { kind: 'otp', rupay: p.cardScheme === 'RUPAY' } };
      if (p.step === 'CHALLENGE') return { result, step: { kind: 'challenge' } };
      if (p.step !== 'NEW') return { result, step: { kind: 'waiting' } };
      const code = choice.bankCode ?? '';
      if (choice.paymentMode === 'NET_BANKING') {
        const bank = payments.banks().find((b) => b.code === code);
        if (bank) return { result, step: { kind: 'netbanking', code: bank.code, name: bank.name } };
      }
      if (choice.paymentMode === 'WALLET' || choice.paymentMode === 'PAY_LATER') {
        const provider = payments.wallets(choice.paymentMode).find((w) => w.code === code);
        if (provider) return { result, step: { kind: 'wallet', mode: choice.paymentMode, code: provider.code, name: provider.name } };
      }
      return { result, step: { kind: 'checkout' } };
    },

    /** The OTP typed on the bank page. A wrong one with attempts left keeps the transaction at its OTP. */
    async submitOtp(keys: PublicKeys, otp: string) {
      const { payment } = await load(keys);
      return payments.validateOtp(payment.companyId, payment.id, otp);
    },

    async resendOtp(keys: PublicKeys) {
      const { payment } = await load(keys);
      return payments.resendOtp(payment.companyId, payment.id);
    },

    async completeChallenge(keys: PublicKeys, passed: boolean) {
      const { payment } = await load(keys);
      return payments.completeChallenge(payment.companyId, payment.id, passed);
    },

    /** The customer confirmed the debit on the bank's (or wallet's) page: now the rail is called. */
    async confirmAtBank(keys: PublicKeys, choice: { paymentMode: PaymentMode; bankCode: string }, scenario?: Scenario) {
      const { payment } = await load(keys);
      if (payment.step !== 'NEW') throw new CheckoutStateError('This payment has already been confirmed', { param: 'transactionId' });
      return payments.process(payment.companyId, payment.id, { paymentMode: choice.paymentMode, bankCode: choice.bankCode }, { scenario });
    },

    /** The transaction, for the pages (bank page, return). */
    load,
  };
}

/** Whether an error is the gateway's "this order takes no payment" (the page explains it instead of failing). */
export function isNotPayable(err: unknown): boolean {
  return err instanceof AppError && err.code === 'order_not_payable';
}
