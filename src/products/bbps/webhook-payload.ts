import type { Biller } from '../../rails/bbps/index.js';
import { formatRupees } from '../../core/money/index.js';
import type { BillpayWebhookPayload } from './events.js';
import { BALANCE_PAYMENT_MODE, enkashDateTime, type UtilityPayment } from './model.js';
import type { StatusPayload } from './schemas.js';

/** The payment as the status API answers it (reference §4). */
export function statusPayload(p: UtilityPayment, companyName: string): StatusPayload {
  return {
    companyName,
    utilityEnkashId: p.id,
    referenceId: p.referenceId,
    billerId: p.billerId,
    companyBillerId: p.companyBillerId,
    amount: formatRupees(p.amountPaise),
    consumerNumber: p.consumerNumber,
    consumerName: p.consumerName,
    billDate: p.billDate,
    billDueDate: p.billDueDate,
    createdDate: enkashDateTime(p.createdAt)!,
    billNumber: p.billNumber,
    billerBillNumber: p.source === 'FETCH' ? p.billNumber : null,
    numberOfUnits: null,
    approvalStatus: p.approvalStatus,
    approvalRemarks: p.approvalRemarks,
    paymentStatus: p.paymentStatus,
    billpayStatus: p.billpayStatus,
    failureReason: p.failureReason,
    failureCode: p.failureCode,
    paymentDate: enkashDateTime(p.paymentAt),
    billpayDate: enkashDateTime(p.billpayAt),
    paymentMode: (p.paymentMode ?? BALANCE_PAYMENT_MODE) as StatusPayload['paymentMode'],
    approvedDate: enkashDateTime(p.approvedAt),
    billReferenceId: p.billReferenceId,
    billStartDate: p.billStartDate,
    billEndDate: p.billEndDate,
    remarks: p.remarks,
  };
}

/** The body of a `utility.billpay.*` webhook: the status, the bill's amounts and the company biller. */
export function webhookPayload(p: UtilityPayment, companyName: string, biller: Biller, billParams: Record<string, string> | undefined): BillpayWebhookPayload {
  return {
    ...statusPayload(p, companyName),
    validationId: p.validationId,
    billAmount: formatRupees(p.billAmountPaise),
    earlyPaymentDate: p.earlyPaymentDate,
    earlyPaymentAmount: p.earlyPaymentAmountPaise === null ? null : formatRupees(p.earlyPaymentAmountPaise),
    latePaymentAmount: p.latePaymentAmountPaise === null ? null : formatRupees(p.latePaymentAmountPaise),
    actualDueDate: p.actualDueDate,
    billCopyStatus: p.billpayStatus === 'SUCCESS' || p.billpayStatus === 'FAILED' ? 'FAILED' : 'PENDING',
    billCopyPdfUrl: null,
    refundDate: enkashDateTime(p.refundAt),
    companyBiller: {
      companyBillerId: p.companyBillerId,
      companyName,
      consumerNumber: p.consumerNumber,
      biller: {
        billerId: biller.billerId,
        billerName: biller.billerName,
        billerType: biller.billerType,
        circleEnum: p.circle,
        billInputParams: biller.billInputParams.map((i) => ({ ...i })),
        billerParams: Object.entries(billParams ?? { cn: p.consumerNumber }).map(([paramName, value]) => ({ paramName, value })),
      },
    },
  };
}
