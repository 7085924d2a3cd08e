import type { OutcomeSource, RailCall } from '../types.js';

// The simulator of this rail lands with the B2B Invoicing product issue (reference §5): a
// simulated counterparty on the Bharat Connect B2B network that answers each request with its
// response webhook. Until then only the interface exists.

/** A Bharat Connect B2B message (purchase order, invoice, credit note, payment, financing). */
export interface B2bMessage {
  objectType: 'PURCHASE_ORDER' | 'INVOICE' | 'CREDIT_NOTE' | 'PAYMENT' | 'FINANCING' | 'ENTITY';
  /** `req-send`, `req-confirm`, `req-status-change`, … (reference §5). */
  action: string;
  objectId: string;
  buyerB2BId: string;
  supplierB2BId: string;
  body: Record<string, unknown>;
}

/** The counterparty's answer, as the `resp{reqMsgId, result, errorCd, errorDtl, errorField}` of reference §5. */
export interface B2bResponse {
  reqMsgId: string;
  result: 'SUCCESS' | 'FAILURE';
  errorCd?: string;
  errorDtl?: string;
  errorField?: string;
}

/** The Bharat Connect B2B network: requests go to the counterparty; its responses come through `onOutcome`. */
export interface B2bNetworkRail extends OutcomeSource {
  readonly rail: 'b2b_network';
  send(call: RailCall, message: B2bMessage): Promise<{ status: 'accepted' | 'rejected' | 'no_answer'; reqMsgId: string; response?: B2bResponse }>;
}
