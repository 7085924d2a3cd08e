import { formatRupees } from '../../../core/money/index.js';
import type { CardAuthorization } from '../../../rails/card/index.js';
import type { Order } from '../orders/model.js';
import type { NotifyBody } from './events.js';
import { maskCard, notifyChecksum, type Payment } from './model.js';

// What a rail's answer means for an attempt, and what the merchant is told of it (the payments
// service applies both in its transactions).

/** Where an attempt goes after a rail answered (or a timer fired). */
export type Outcome =
  | { kind: 'success'; reference: string | null }
  | { kind: 'failure'; code: string; message: string }
  | { kind: 'pending' }
  | { kind: 'authenticate'; step: 'OTP' | 'CHALLENGE'; authenticationId: string };

/** Facts of an attempt learnt from the rail (card identity, UPI link). */
export type Facts = Partial<Pick<Payment, 'cardToken' | 'cardBin' | 'cardLast4' | 'cardScheme' | 'cardType' | 'upiUri'>>;

export const MESSAGES: Record<string, string> = {
  success: 'Transaction successful',
  pending_with_bank: 'Transaction pending with the bank',
  awaiting_otp: 'Enter the OTP sent to the registered mobile number',
  awaiting_challenge: 'Complete 3-D Secure authentication on the bank page',
  incorrect_otp: 'Incorrect OTP; try again',
  created: 'Awaiting the payment mode',
};

export function failureMessage(code: string): string {
  return `Transaction failed: ${code.replaceAll('_', ' ')}`;
}

/** A card rail's answer as the attempt's outcome, with the card facts it taught. */
export function fromCard(auth: CardAuthorization): { outcome: Outcome; facts: Facts; otp?: { attemptsLeft: number; resendsLeft: number } } {
  const facts: Facts = {
    cardToken: auth.card.token,
    cardBin: auth.card.bin,
    cardLast4: auth.card.last4,
    cardScheme: auth.card.network,
    cardType: auth.card.cardType,
  };
  switch (auth.status) {
    case 'succeeded':
      return { outcome: { kind: 'success', reference: auth.authCode ?? null }, facts };
    case 'declined':
    case 'failed': {
      const code = auth.reasonCode ?? 'card_declined';
      return { outcome: { kind: 'failure', code, message: failureMessage(code) }, facts };
    }
    case 'pending':
    case 'no_answer':
      return { outcome: { kind: 'pending' }, facts };
    case 'otp_required':
      return {
        outcome: { kind: 'authenticate', step: 'OTP', authenticationId: auth.authenticationId! },
        facts,
        otp: { attemptsLeft: auth.otpAttemptsLeft ?? 0, resendsLeft: auth.otpResendsLeft ?? 0 },
      };
    case 'challenge_required':
      return { outcome: { kind: 'authenticate', step: 'CHALLENGE', authenticationId: auth.authenticationId! }, facts };
  }
}

/** A provider rail's answer (UPI, netbanking, wallet) as the attempt's outcome. */
export function fromProvider(result: {
  status: 'succeeded' | 'declined' | 'failed' | 'pending' | 'no_answer';
  reasonCode?: string;
  providerReference?: string;
}): Outcome {
  if (result.status === 'succeeded') return { kind: 'success', reference: result.providerReference ?? null };
  if (result.status === 'declined' || result.status === 'failed') {
    const code = result.reasonCode ?? 'payment_declined';
    return { kind: 'failure', code, message: failureMessage(code) };
  }
  return { kind: 'pending' };
}

/** The Payment Notify body of an attempt (reference §2.3), signed with the merchant secret. */
export function notifyBody(order: Order, payment: Payment, secret: string): NotifyBody {
  const status = payment.status;
  return {
    surcharge: formatRupees(payment.surchargePaise),
    surchargeGst: formatRupees(payment.surchargeGstPaise),
    amount: formatRupees(payment.amountPaise),
    finalAmount: formatRupees(payment.finalAmountPaise),
    paymentMode: payment.paymentMode ?? '',
    bankCode: payment.bankCode,
    bankName: payment.bankName,
    cardScheme: payment.cardScheme,
    currency: 'INR',
    checksum: notifyChecksum(secret, {
      orderId: order.id,
      transactionId: payment.id,
      uniqueTransactionId: payment.uniqueTransactionId,
      amountPaise: payment.amountPaise,
      status,
    }),
    status,
    transactionId: payment.id,
    txnMsg: payment.txnMsg,
    txnDate: (payment.capturedAt ?? payment.updatedAt).toISOString(),
    uniqueTransactionId: payment.uniqueTransactionId,
    maskedCardNumber: maskCard(payment.cardBin, payment.cardLast4),
    cardHolderName: payment.cardHolderName,
    paymentToken: payment.cardToken,
    bankTransactionId: payment.bankTransactionId,
    mdr: formatRupees(payment.mdrPaise),
    mdrGst: formatRupees(payment.mdrGstPaise),
    transactionAmount: formatRupees(payment.finalAmountPaise),
    orderId: order.id,
    orderStatus: order.status,
    transactionStatus: status,
  };
}
