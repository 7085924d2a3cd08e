import { formatRupees } from '../../../core/money/index.js';
import type { Mandate, MandateDebit, MandateNotification } from './model.js';

/** The mandate as the UPI Mandate Callback carries it (reference §2.9); Get Mandate answers it too. */
export function wireMandate(m: Mandate) {
  return {
    umn: m.umn,
    referenceId: m.referenceId,
    mandateId: m.id,
    amount: formatRupees(m.amountPaise),
    amountRule: m.amountRule,
    currency: 'INR' as const,
    payee: { vpa: m.payeeVpa, name: m.payeeName, mcc: m.payeeMcc },
    payer: { name: m.payerName, vpa: m.payerVpa, account: m.payerAccount, accountValidation: m.payerAccountValidation },
    name: m.mandateName,
    expireAt: m.expireAt.getTime(),
    blockFund: m.blockFund,
    revokeableByPayer: m.revokeableByPayer,
    recurrence: { period: m.recurrencePeriod, rule: m.recurrenceRule, value: m.recurrenceValue },
    validity: { startAt: m.validityStartAt.getTime(), endAt: m.validityEndAt.getTime() },
    pausePeriod: m.pauseStartAt && m.pauseEndAt ? { start_at: m.pauseStartAt.getTime(), end_at: m.pauseEndAt.getTime() } : null,
    status: m.status,
    reasonCode: m.reasonCode,
  };
}

export function wireNotification(n: MandateNotification) {
  return {
    notificationId: n.id,
    mandateId: n.mandateId,
    cycle: n.cycle,
    amount: formatRupees(n.amountPaise),
    executionDate: n.executionAt.toISOString(),
    message: n.message,
    sentAt: n.sentAt.toISOString(),
  };
}

/** The Mandate Debit Callback body, also Execute Mandate Debit's answer. */
export function wireDebit(d: MandateDebit, umn: string) {
  return {
    debitId: d.id,
    mandateId: d.mandateId,
    umn,
    referenceId: d.referenceId,
    notificationId: d.notificationId,
    cycle: d.cycle,
    amount: formatRupees(d.amountPaise),
    currency: 'INR' as const,
    status: d.status,
    transactionId: d.transactionId,
    orderId: d.orderId,
    bankTransactionId: d.bankTransactionId,
    reasonCode: d.reasonCode,
    txnDate: (d.completedAt ?? d.createdAt).toISOString(),
  };
}
