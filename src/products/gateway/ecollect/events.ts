import { Type } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

const nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/**
 * The credit notification of a virtual account (reference §2.11: "credit notification through the
 * merchant webhook"; the body is INFERRED, in the Payment Notify style of §2.3): POSTed to the
 * account's notifyUrl and to webhook configurations subscribed to the event.
 */
export const VirtualAccountCreditPayload = Type.Object(
  {
    virtualAccountId: Type.String({ description: "EnKash's id of the virtual account (VAC…)" }),
    referenceId: Type.String({ description: "The merchant's referenceId of the account" }),
    accountNumber: Type.String(),
    ifsc: Type.String(),
    vpa: Type.String(),
    creditId: Type.String({ description: 'The credit (VCR…)' }),
    amount: Type.Number({ description: 'Credited amount, rupees' }),
    currency: Type.Literal('INR'),
    paymentMode: Type.Union([Type.Literal('NEFT'), Type.Literal('IMPS'), Type.Literal('RTGS'), Type.Literal('UPI')]),
    utr: Type.String({ description: 'The bank reference (UTR; the RRN for IMPS and UPI)' }),
    remitterName: Type.String(),
    remitterAccount: Type.String(),
    remitterIfsc: Type.String(),
    remitterVpa: nullable('The payer VPA of a UPI credit, when the bank gave it'),
    status: Type.Literal('CREDITED'),
    txnDate: Type.String({ description: 'Sandbox time of the credit, ISO 8601' }),
    totalCreditedAmount: Type.Number({ description: 'Everything credited to the account so far, this credit included, rupees' }),
  },
  { additionalProperties: false },
);

export const VIRTUAL_ACCOUNT_CREDITED = defineEvent({
  type: 'VIRTUAL_ACCOUNT_CREDITED',
  description:
    "An inward NEFT, IMPS, RTGS or UPI credit to an E-Collect virtual account was matched and credited (reference §2.11); also POSTed to the account's notifyUrl.",
  payload: VirtualAccountCreditPayload,
  example: {
    virtualAccountId: 'VAC1784195236818aB3xZ',
    referenceId: 'CUST-1001',
    accountNumber: '8800123456789012',
    ifsc: 'YESB0000001',
    vpa: 'ecol.8800123456789012@enkash',
    creditId: 'VCR1784195300000Qw3rT',
    amount: 2500,
    currency: 'INR',
    paymentMode: 'NEFT',
    utr: 'HDFCN63310012345',
    remitterName: 'Asha Traders',
    remitterAccount: '50100012345678',
    remitterIfsc: 'HDFC0000001',
    remitterVpa: null,
    status: 'CREDITED',
    txnDate: '2026-11-27T11:30:00.000Z',
    totalCreditedAmount: 2500,
  },
});

export const ECOLLECT_EVENTS: EventDefinition[] = [VIRTUAL_ACCOUNT_CREDITED];
