import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors/app-error.js';
import { formatInr } from '../core/money/index.js';
import { scenarioFrom } from '../rails/index.js';
import { isFinal, isNotPayable, returnLocation, type CheckoutPageRenderer, type CheckoutService, type PublicKeys } from '../products/gateway/checkout/index.js';
import type { PaymentResult } from '../products/gateway/index.js';
import type { LinksService } from '../products/gateway/links/index.js';
import type { GatewaySettings } from '../products/gateway/settings/model.js';
import { renderBankWaiting, renderChallengePage, renderConfirmPage, renderNetbankingLogin, renderOtpPage, type BankPageContext } from './bank-pages.js';
import { renderCheckoutClosed, renderCheckoutPage } from './checkout-page.js';
import { PAGE_HEADERS } from './html.js';
import { renderReceipt } from './receipt-page.js';

type Form = Record<string, string | undefined>;

/**
 * The string fields of a form or query. The pages take url-encoded forms, but the scope also
 * parses JSON, whose numbers, arrays and objects (and a repeated query key) are dropped here, so
 * a field is always a string or absent.
 */
function stringsOnly(input: unknown): Form {
  if (input === null || typeof input !== 'object') return {};
  return Object.fromEntries(Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export interface PayPagesDeps {
  checkout: CheckoutService;
  merchantName(companyId: string): Promise<GatewaySettings['merchantName']>;
  /** The payment link an order pays: its receipt says what is still due. */
  links: Pick<LinksService, 'forPage'>;
}

/**
 * A bank page's transaction: unlike the SDK's calls, the pages keep the key (their links always
 * carry it). `popupMode`: the SDK opened the page in a popup, which ends on a page that closes itself.
 */
interface PageKeys extends PublicKeys {
  publicIdentifierKey: string;
  popupMode: boolean;
}

const keysFrom = (transactionId: string, input: Form): PageKeys => ({
  transactionId,
  publicIdentifierKey: input['publicIdentifierKey'] ?? '',
  popupMode: input['popupMode'] === 'true',
});
const pageQuery = (keys: PageKeys, extra: Record<string, string> = {}) =>
  new URLSearchParams({ publicIdentifierKey: keys.publicIdentifierKey, ...(keys.popupMode ? { popupMode: 'true' } : {}), ...extra }).toString();
const bankPath = (keys: PageKeys, extra: Record<string, string> = {}) => `/pay/bank/${encodeURIComponent(keys.transactionId)}?${pageQuery(keys, extra)}`;
const returnPath = (keys: PageKeys) => `/pay/checkout/return/${encodeURIComponent(keys.transactionId)}?${pageQuery(keys)}`;

function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(html);
}

/** The checkout page and the page of an order that takes no payment (the HTML side of `GET /pay/checkout/{orderId}`). */
export function checkoutPages(checkout: CheckoutService): CheckoutPageRenderer {
  return {
    headers: PAGE_HEADERS,
    page: renderCheckoutPage,
    async closed(orderId, err) {
      if (!(err instanceof AppError) || (err.status !== 404 && !isNotPayable(err))) throw err;
      const order = err.status === 404 ? undefined : await checkout.orderOf(orderId);
      if (!order)
        return {
          status: 404,
          html: renderCheckoutClosed({ title: 'Payment page not found', message: 'There is no payment with this link. Check the link the merchant sent you.' }),
        };
      const message =
        order.status === 'PAID'
          ? 'This order has already been paid. You will not be charged again.'
          : order.status === 'CANCELLED'
            ? 'This order has been cancelled and takes no payment.'
            : order.status === 'EXPIRED'
              ? 'This payment page has expired. Ask the merchant for a new payment link.'
              : 'This order has no payment attempts left.';
      return { status: 409, html: renderCheckoutClosed({ title: `Order ${order.merchantOrderId}`, message, returnUrl: order.returnUrl }) };
    },
  };
}

/**
 * The simulated bank pages (`/pay/bank/{transactionId}`, G2's `redirectionUrl`) and the return to
 * the merchant (`/pay/checkout/return/{transactionId}`). Forms post back here; every final state
 * ends with a 303 to the return, which sends the browser to `returnUrl` with the minimal payload.
 */
export function registerPayPages(app: FastifyInstance, deps: PayPagesDeps): void {
  const { checkout } = deps;

  async function context(
    result: PaymentResult,
    keys: PageKeys,
    fields: Record<string, string>,
    institution: string,
    notice?: BankPageContext['notice'],
  ): Promise<BankPageContext> {
    return {
      transactionId: result.payment.id,
      institution,
      merchantName: await deps.merchantName(result.payment.companyId),
      amount: formatInr(result.payment.finalAmountPaise),
      notice,
      fields: { publicIdentifierKey: keys.publicIdentifierKey, ...(keys.popupMode ? { popupMode: 'true' } : {}), ...fields },
    };
  }

  /** Renders the page the transaction needs now, or redirects (final: the return; no bank step: the checkout). */
  async function show(
    reply: FastifyReply,
    keys: PageKeys,
    choice: Form,
    notice?: BankPageContext['notice'],
    otp?: { attemptsLeft: number | null; resendsLeft: number | null },
  ) {
    const { result, step } = await checkout.bankStep(keys, { paymentMode: choice['paymentMode'], bankCode: choice['bankCode'] });
    const p = result.payment;
    switch (step.kind) {
      case 'final':
        return reply.redirect(returnPath(keys), 303);
      case 'checkout':
        return reply.redirect(`/pay/checkout/${encodeURIComponent(result.order.id)}`, 303);
      case 'otp':
        return sendPage(
          reply,
          renderOtpPage({
            ...(await context(result, keys, {}, p.bankName ?? 'Your bank', notice)),
            rupay: step.rupay,
            attemptsLeft: otp?.attemptsLeft ?? null,
            resendsLeft: otp?.resendsLeft ?? null,
            maskedCard: p.cardLast4 ? `XXXX XXXX XXXX ${p.cardLast4}` : null,
          }),
        );
      case 'challenge':
        return sendPage(
          reply,
          renderChallengePage({
            ...(await context(result, keys, {}, `${p.bankName ?? 'Issuer'} ACS`, notice)),
            maskedCard: p.cardLast4 ? `XXXX XXXX XXXX ${p.cardLast4}` : null,
          }),
        );
      case 'netbanking':
        return sendPage(reply, renderNetbankingLogin(await context(result, keys, { paymentMode: 'NET_BANKING', bankCode: step.code }, step.name, notice)));
      case 'wallet':
        return sendPage(
          reply,
          renderConfirmPage({ ...(await context(result, keys, { paymentMode: step.mode, bankCode: step.code }, step.name, notice)), kind: 'wallet' }),
        );
      case 'waiting':
        return sendPage(reply, renderBankWaiting(await context(result, keys, {}, p.bankName ?? 'The bank', notice)));
    }
  }

  /** A failure the customer can read: unknown transaction (404), a step already taken (409), a bad input (400). */
  function errorPage(reply: FastifyReply, err: unknown) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const title = err.status === 404 ? 'Payment not found' : 'This step cannot be completed';
    return sendPage(reply, renderCheckoutClosed({ title, message: err.message }), err.status);
  }

  const txnOf = (request: FastifyRequest) => (request.params as { transactionId: string }).transactionId;
  const formOf = (request: FastifyRequest): Form => stringsOnly(request.body);
  const page = { schema: { hide: true } };

  app.get('/pay/bank/:transactionId', page, async (request, reply) => {
    const query = stringsOnly(request.query);
    try {
      return await show(reply, keysFrom(txnOf(request), query), query);
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  app.post('/pay/bank/:transactionId/otp', page, async (request, reply) => {
    const form = formOf(request);
    const keys = keysFrom(txnOf(request), form);
    try {
      const otp = form['otp'] ?? '';
      if (!/^[0-9]{4,8}$/.test(otp)) return await show(reply, keys, {}, { kind: 'error', text: 'Enter the OTP: 4 to 8 digits.' });
      const result = await checkout.submitOtp(keys, otp);
      if (result.payment.step === 'OTP' && result.otp) {
        const left = result.otp.attemptsLeft;
        return await show(
          reply,
          keys,
          {},
          { kind: 'error', text: `Incorrect OTP. ${left} attempt${left === 1 ? '' : 's'} left.` },
          { attemptsLeft: left, resendsLeft: result.otp.resendsLeft },
        );
      }
      return reply.redirect(bankPath(keys), 303);
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  app.post('/pay/bank/:transactionId/otp/resend', page, async (request, reply) => {
    const keys = keysFrom(txnOf(request), formOf(request));
    try {
      const { sent, resendsLeft } = await checkout.resendOtp(keys);
      const notice = sent
        ? ({ kind: 'success', text: 'The OTP was sent again to your registered mobile number.' } as const)
        : ({ kind: 'error', text: 'No more resends: enter the last OTP you received.' } as const);
      return await show(reply, keys, {}, notice, { attemptsLeft: null, resendsLeft });
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  app.post('/pay/bank/:transactionId/challenge', page, async (request, reply) => {
    const form = formOf(request);
    const keys = keysFrom(txnOf(request), form);
    try {
      await checkout.completeChallenge(keys, form['result'] === 'pass');
      return reply.redirect(bankPath(keys), 303);
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  app.post('/pay/bank/:transactionId/netbanking/login', page, async (request, reply) => {
    const form = formOf(request);
    const keys = keysFrom(txnOf(request), form);
    try {
      const { result, step } = await checkout.bankStep(keys, { paymentMode: form['paymentMode'], bankCode: form['bankCode'] });
      if (step.kind !== 'netbanking') return await show(reply, keys, form);
      if (!form['userId']?.trim() || !form['password']) {
        return await show(reply, keys, form, { kind: 'error', text: 'Enter your user id and password.' });
      }
      return sendPage(
        reply,
        renderConfirmPage({ ...(await context(result, keys, { paymentMode: 'NET_BANKING', bankCode: step.code }, step.name)), kind: 'netbanking' }),
      );
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  app.post('/pay/bank/:transactionId/confirm', page, async (request, reply) => {
    const form = formOf(request);
    const keys = keysFrom(txnOf(request), form);
    try {
      if (form['decision'] !== 'confirm') {
        await checkout.cancel(keys, 'Cancelled by the customer at the bank');
        return reply.redirect(returnPath(keys), 303);
      }
      const { step } = await checkout.bankStep(keys, { paymentMode: form['paymentMode'], bankCode: form['bankCode'] });
      if (step.kind === 'netbanking') await checkout.confirmAtBank(keys, { paymentMode: 'NET_BANKING', bankCode: step.code }, scenarioFrom(request));
      else if (step.kind === 'wallet') await checkout.confirmAtBank(keys, { paymentMode: step.mode, bankCode: step.code }, scenarioFrom(request));
      return reply.redirect(bankPath(keys), 303);
    } catch (err) {
      return errorPage(reply, err);
    }
  });

  // The return to the merchant (reference §2.3): a GET to returnUrl with the minimal payload's keys.
  app.get('/pay/checkout/return/:transactionId', page, async (request, reply) => {
    const keys = keysFrom(txnOf(request), stringsOnly(request.query));
    try {
      const result = await checkout.load(keys);
      if (!isFinal(result.payment)) return reply.redirect(bankPath(keys), 303);
      const { order, payment } = result;
      // The SDK's popup (popupMode) ends on a page that closes itself: the SDK's page polls for the outcome.
      if (keys.popupMode) {
        const minimal = await checkout.minimal(keys);
        const done = minimal.status === 'SUCCESS';
        return sendPage(
          reply,
          renderCheckoutClosed({
            title: done ? 'Payment successful' : minimal.status === 'CANCELLED' ? 'Payment cancelled' : 'Payment failed',
            message: `${minimal.txnMsg}. Transaction ${minimal.transactionId}, ₹${minimal.finalAmount.toFixed(2)}. You can close this window.`,
            selfClose: true,
          }),
        );
      }
      if (order.returnUrl) return reply.redirect(returnLocation(order.returnUrl, await checkout.minimal(keys)), 303);
      // No returnUrl (a payment link's order, or an order made without one): the receipt ends the checkout here.
      const link = order.originKind === 'LINK' && order.originId !== null ? await deps.links.forPage(order.originId) : undefined;
      return sendPage(reply, renderReceipt({ result, merchantName: await deps.merchantName(payment.companyId), link }));
    } catch (err) {
      return errorPage(reply, err);
    }
  });
}
