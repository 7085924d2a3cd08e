import { Type, type Static } from 'typebox';
import { defineEvent, type EventDefinition } from '../../core/events/index.js';
import { statusPayload } from './schemas.js';

/**
 * The Bill Payment Webhook body (UtilityBillWebhookRequest, reference §4): the status payload plus
 * the bill's fetch fields, the bill copy, the refund date and the company biller with its biller.
 */
export const billpayWebhookPayload = Type.Object({
  ...statusPayload.properties,
  validationId: Type.Union([Type.String(), Type.Null()]),
  billAmount: Type.Number(),
  earlyPaymentDate: Type.Union([Type.String(), Type.Null()]),
  earlyPaymentAmount: Type.Union([Type.Number(), Type.Null()]),
  latePaymentAmount: Type.Union([Type.Number(), Type.Null()]),
  actualDueDate: Type.Union([Type.String(), Type.Null()]),
  billCopyStatus: Type.Union([Type.Literal('FAILED'), Type.Literal('PENDING'), Type.Literal('SUCCESS')], {
    description: 'The simulator keeps no bill copies: PENDING until paid, then FAILED',
  }),
  billCopyPdfUrl: Type.Null(),
  refundDate: Type.Union([Type.String(), Type.Null()]),
  companyBiller: Type.Object({
    companyBillerId: Type.String(),
    companyName: Type.String(),
    consumerNumber: Type.String(),
    biller: Type.Object({
      billerId: Type.Integer(),
      billerName: Type.String(),
      billerType: Type.String(),
      circleEnum: Type.Union([Type.String(), Type.Null()]),
      billInputParams: Type.Array(Type.Object({ paramName: Type.String(), displayName: Type.String(), regex: Type.String(), optional: Type.Boolean() })),
      billerParams: Type.Array(Type.Object({ paramName: Type.String(), value: Type.String() })),
    }),
  }),
});
export type BillpayWebhookPayload = Static<typeof billpayWebhookPayload>;

const example: BillpayWebhookPayload = {
  companyName: 'Tijori Sandbox',
  utilityEnkashId: 'UTIL-7K2M9Q4XA1BC',
  referenceId: 'BILL-2025-0001',
  billerId: 1001,
  companyBillerId: 'CBL7K2M9Q4XA1B',
  amount: 1250,
  consumerNumber: '9000000001',
  consumerName: 'Consumer 0001',
  billDate: '2025-05-10',
  billDueDate: '2025-05-30',
  createdDate: '2025-05-12T14:30:25',
  billNumber: 'BN10014521872505',
  billerBillNumber: 'BN10014521872505',
  numberOfUnits: null,
  approvalStatus: 'CHECKER_APPROVED',
  approvalRemarks: 'Approved by finance',
  paymentStatus: 'SUCCESS',
  billpayStatus: 'SUCCESS',
  failureReason: null,
  failureCode: null,
  paymentDate: '2025-05-12T15:02:11',
  billpayDate: '2025-05-12T15:02:11',
  paymentMode: 'ACCOUNT_TRANSFER',
  approvedDate: '2025-05-12T15:02:11',
  billReferenceId: 'BBPS381920475512',
  billStartDate: '2025-04-10',
  billEndDate: '2025-05-09',
  remarks: null,
  validationId: 'VAL839201746512',
  billAmount: 1250,
  earlyPaymentDate: '2025-05-20',
  earlyPaymentAmount: 1237.5,
  latePaymentAmount: null,
  actualDueDate: '2025-05-30',
  billCopyStatus: 'FAILED',
  billCopyPdfUrl: null,
  refundDate: null,
  companyBiller: {
    companyBillerId: 'CBL7K2M9Q4XA1B',
    companyName: 'Tijori Sandbox',
    consumerNumber: '9000000001',
    biller: {
      billerId: 1001,
      billerName: 'Maharashtra State Electricity Distribution (MSEDCL)',
      billerType: 'ELECTRICITY',
      circleEnum: 'MAH',
      billInputParams: [{ paramName: 'cn', displayName: 'Consumer Number', regex: '^[A-Za-z0-9]{6,20}$', optional: false }],
      billerParams: [{ paramName: 'cn', value: '9000000001' }],
    },
  },
};

export const UTILITY_BILLPAY_SUCCESS = defineEvent({
  type: 'UTILITY_BILLPAY_SUCCESS',
  description: 'A utility bill was paid to its biller (`billpayStatus` SUCCESS).',
  payload: billpayWebhookPayload,
  example,
});

export const UTILITY_BILLPAY_FAILED = defineEvent({
  type: 'UTILITY_BILLPAY_FAILED',
  description: 'The biller refused or could not take the payment (`billpayStatus` FAILED); the debit was refunded (`paymentStatus` REFUNDED).',
  payload: billpayWebhookPayload,
  example: {
    ...example,
    paymentStatus: 'REFUNDED',
    billpayStatus: 'FAILED',
    failureCode: 'biller_unavailable',
    failureReason: 'Biller is not available, please try again later',
    billReferenceId: null,
    billpayDate: '2025-05-12T15:02:11',
    refundDate: '2025-05-12T15:02:11',
  },
});

export const UTILITY_BILLPAY_PENDING = defineEvent({
  type: 'UTILITY_BILLPAY_PENDING',
  description:
    'The bill was debited and sent to the biller, which has not answered yet (`billpayStatus` IN_PROGRESS), or the payment reached an interim stage (ON_HOLD, AGENCY_FAILED, REINITIATE); SUCCESS or FAILED follows.',
  payload: billpayWebhookPayload,
  example: { ...example, billpayStatus: 'IN_PROGRESS', billReferenceId: null, billpayDate: null, billCopyStatus: 'PENDING' },
});

/** Appended to EVENT_DEFINITIONS in app.ts. */
export const BBPS_EVENTS: EventDefinition[] = [UTILITY_BILLPAY_SUCCESS, UTILITY_BILLPAY_FAILED, UTILITY_BILLPAY_PENDING];
