import { Type, type Static } from 'typebox';
import { defineEvent, type EventDefinition } from '../../../core/events/index.js';

/** The body of QR_CODE_CLOSED: the QR and why it closed (docs/api/gateway-upi-qr.md). */
export const QrClosedPayload = Type.Object(
  {
    qrCodeId: Type.String(),
    qrType: Type.Union([Type.Literal('STATIC'), Type.Literal('DYNAMIC')]),
    status: Type.Literal('CLOSED'),
    closeReason: Type.Union([Type.Literal('PAID'), Type.Literal('CANCELLED'), Type.Literal('EXPIRED')]),
    referenceId: Type.Union([Type.String(), Type.Null()]),
    paymentsCount: Type.Integer({ description: 'Payments captured on the QR' }),
    amountReceived: Type.Number({ description: 'Rupees captured on the QR' }),
    closedAt: Type.String({ description: 'Sandbox time, ISO 8601' }),
  },
  { additionalProperties: false },
);
export type QrClosedPayload = Static<typeof QrClosedPayload>;

export const QR_CODE_CLOSED = defineEvent({
  type: 'QR_CODE_CLOSED',
  description:
    'A UPI QR code closed: a DYNAMIC QR was paid, the merchant cancelled it, or its closeBy passed (Tijori extension; payments themselves send Payment Notify).',
  payload: QrClosedPayload,
  example: {
    qrCodeId: 'QR1784195236818aB3xZ',
    qrType: 'DYNAMIC',
    status: 'CLOSED',
    closeReason: 'PAID',
    referenceId: 'INV-1001',
    paymentsCount: 1,
    amountReceived: 499,
    closedAt: '2026-11-27T11:30:00.000Z',
  },
});

export const QR_EVENTS: EventDefinition[] = [QR_CODE_CLOSED];
