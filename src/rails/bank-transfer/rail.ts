import type { OutcomeSource, RailCall } from '../types.js';
import type { RejectCode, TransferMode } from './rules.js';

export type Beneficiary = { accountNumber: string; ifsc: string } | { vpa: string };

export interface TransferResult {
  /**
   * `rejected`: refused before anything was sent (no UTR); `succeeded`: credited; `failed`: not
   * credited, money returned; `pending`: outcome follows through `onOutcome`; `no_answer`: the bank
   * did not answer, enquire or wait.
   */
  status: 'succeeded' | 'failed' | 'pending' | 'no_answer' | 'rejected';
  rejectCode?: RejectCode;
  /** Snake_case reason of a failure, or the rejection's message. */
  reasonCode?: string;
  reasonMessage?: string;
  /** The UTR (RRN for IMPS/UPI), assigned when the bank accepts the transfer. */
  utr?: string;
  /** NEFT: the batch that settles it. */
  batchAt?: Date;
  fundsReturned: boolean;
  webhookDuplicate: boolean;
}

/**
 * Payouts over IMPS, NEFT, RTGS and UPI. Later outcomes (`succeeded`, `failed`, `reversed`, with
 * the UTR as `reference` and `details.fundsReturned`) come through `onOutcome`.
 */
export interface BankTransferRail extends OutcomeSource {
  readonly rail: 'bank_transfer';
  /** @throws scenario_not_supported; validation failures are answered as `rejected`, not thrown. */
  transfer(call: RailCall, input: { mode: TransferMode; amountPaise: bigint; beneficiary: Beneficiary; remark?: string }): Promise<TransferResult>;
}
