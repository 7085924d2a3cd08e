import { ValidationError } from '../../../core/errors/app-error.js';
import type { RailCall, Scenario } from '../../../rails/index.js';
import type { Order } from '../orders/model.js';
import type { GatewaySettings } from '../settings/index.js';
import { CardModeMismatchError, PaymentModeNotEnabledError, TpvMismatchError } from './errors.js';
import { CARD_TYPE_OF_MODE, RAIL_OF_MODE, cardInputProblem, merchantPayee, quoteFees, upiNote, type Payment } from './model.js';
import { fromCard, fromProvider } from './outcomes.js';
import { PAYMENTS_REPLY_TO, type FromUpiApp, type PaymentDetailInput, type PaymentsDeps, type Prepared } from './types.js';

/**
 * Choosing a mode (reference §2.2): the customer's detail checked against the merchant's settings
 * and the rail's test data, the fees quoted; and the call to the mode's rail. No database here.
 */
export function createModes(deps: PaymentsDeps) {
  const { db, rails } = deps;

  const railCall = (companyId: string, transactionId: string, scenario: Scenario | undefined): RailCall => ({
    companyId,
    attemptRef: transactionId,
    replyTo: PAYMENTS_REPLY_TO,
    scenario,
    exec: db,
  });

  async function prepare(order: Order, detail: PaymentDetailInput, settings: GatewaySettings, fromApp?: FromUpiApp): Promise<Prepared> {
    const mode = detail.paymentMode;
    if (!settings.enabledModes.includes(mode))
      throw new PaymentModeNotEnabledError(`Payment mode ${mode} is not enabled for this merchant`, { param: 'paymentMode' });
    const rail = RAIL_OF_MODE[mode];
    const require = (field: keyof PaymentDetailInput): string => {
      const value = detail[field];
      if (value === undefined || value === '') throw new ValidationError(`Missing required field ${field} for paymentMode ${mode}`, { param: field });
      return value;
    };
    const base = { mode, rail, upiFlow: null, card: null, vpa: null, bankCode: null, bankName: null } as const;
    switch (rail) {
      case 'card': {
        const card = { cardNumber: require('cardNumber'), expiry: require('expiry'), cvv: require('cvv') };
        const bin = rails.card.binDetails(card.cardNumber.replace(/[\s-]/g, ''));
        const problem = cardInputProblem(card, bin?.network);
        if (problem) throw new ValidationError(problem.message, { param: problem.param });
        // A card of a known issuer must match the mode (a debit card is not a CREDIT_CARD payment).
        if (bin!.issuer !== 'Unknown issuer' && CARD_TYPE_OF_MODE[mode] !== bin!.cardType) {
          throw new CardModeMismatchError(`The card is a ${bin!.cardType} card; paymentMode ${mode} needs a ${CARD_TYPE_OF_MODE[mode]} card`, {
            param: 'paymentMode',
          });
        }
        return {
          ...base,
          card: { ...card, ...(detail.cardHolderName === undefined ? {} : { cardHolderName: detail.cardHolderName }) },
          bankCode: bin!.bankCode,
          bankName: bin!.issuer,
          quote: quoteFees(settings, order.amountPaise, mode, [bin!.network, bin!.bankCode]),
        };
      }
      case 'netbanking': {
        const code = require('bankCode');
        const bank = rails.netbanking.banks().find((b) => b.code === code);
        if (!bank) throw new ValidationError(`Invalid field bankCode: unknown bank code ${code}`, { param: 'bankCode' });
        return { ...base, bankCode: bank.code, bankName: bank.name, quote: quoteFees(settings, order.amountPaise, mode, [bank.code]) };
      }
      case 'wallet': {
        const kind = mode === 'PAY_LATER' ? 'PAY_LATER' : 'WALLET';
        const code = mode === 'PAY_LATER' ? (detail.bnplPaymentOptionId ?? require('bankCode')) : require('bankCode');
        const provider = rails.wallet.providers(kind).find((p) => p.code === code);
        if (!provider)
          throw new ValidationError(`Invalid field bankCode: unknown ${mode === 'PAY_LATER' ? 'pay-later option' : 'wallet'} ${code}`, { param: 'bankCode' });
        return { ...base, bankCode: provider.code, bankName: provider.name, quote: quoteFees(settings, order.amountPaise, mode, [provider.code]) };
      }
      case 'upi': {
        if (
          order.tpvAccountNumber !== null &&
          ((detail.accountNumber !== undefined && detail.accountNumber !== order.tpvAccountNumber) ||
            (detail.ifsc !== undefined && detail.ifsc !== order.tpvIfsc))
        ) {
          throw new TpvMismatchError('The account is not the one this order allows (third-party validation)', { param: 'accountNumber' });
        }
        if (fromApp) {
          // The payer paid from their app the amount they saw (a QR's): an intent with no customer fees.
          const vpa = (await rails.upi.verifyVpa(fromApp.payerVpa)).vpa;
          return { ...base, upiFlow: 'INTENT', vpa, quote: quoteFees({ ...settings, feeRules: {} }, order.amountPaise, mode) };
        }
        const vpa = detail.vpa === undefined ? null : (await rails.upi.verifyVpa(detail.vpa)).vpa;
        return { ...base, upiFlow: vpa === null ? 'INTENT' : 'COLLECT', vpa, quote: quoteFees(settings, order.amountPaise, mode) };
      }
    }
  }

  async function callRail(payment: Payment, order: Order, prepared: Prepared, settings: GatewaySettings, scenario: Scenario | undefined) {
    const call = railCall(payment.companyId, payment.id, scenario);
    const amountPaise = payment.finalAmountPaise;
    switch (prepared.rail) {
      case 'card':
        return fromCard(await rails.card.authorize(call, { card: prepared.card!, amountPaise }));
      case 'netbanking':
        return { outcome: fromProvider(await rails.netbanking.pay(call, { bankCode: prepared.bankCode!, amountPaise })), facts: {} };
      case 'wallet':
        return { outcome: fromProvider(await rails.wallet.pay(call, { walletCode: prepared.bankCode!, amountPaise })), facts: {} };
      case 'upi': {
        const expiresInMs = settings.upiCollectTimeoutMinutes * 60_000;
        const note = upiNote(order);
        if (prepared.upiFlow === 'COLLECT') {
          const r = await rails.upi.collect(call, { payerVpa: prepared.vpa!, amountPaise, expiresInMs, note });
          return { outcome: fromProvider(r), facts: {} };
        }
        const r = await rails.upi.intent(call, {
          payee: merchantPayee(payment.companyId, settings.merchantName),
          amountPaise,
          transactionRef: payment.uniqueTransactionId,
          note,
          expiresInMs,
          ...(prepared.vpa === null ? {} : { payerVpa: prepared.vpa }),
        });
        return { outcome: fromProvider(r), facts: { upiUri: r.uri } };
      }
    }
  }

  return { railCall, prepare, callRail };
}

export type Modes = ReturnType<typeof createModes>;
