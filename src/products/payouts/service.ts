import { createAccountService } from './account.js';
import { createBatchService } from './batches.js';
import { createBeneficiaryService } from './beneficiaries.js';
import { createPayoutKit, type PayoutsDeps } from './context.js';
import { listenForOutcomes } from './outcomes.js';
import { createTransferService, createTransferSteps } from './transfers.js';

// The payouts service (reference §3), one part per responsibility: the payout account and its
// float (account.ts), beneficiaries, single transfers and the steps every transfer takes
// (transfers.ts), batches and their sandbox timer (batches.ts), and the bank's later outcomes
// (outcomes.ts). context.ts holds what they share. ADR 0014.

export type { PayoutsDeps, PayoutContext, Complete, BeneficiaryInput, TransferInput } from './context.js';
export type { PayoutBalance, Statement, StatementEntry } from './account.js';
export { MAX_STATEMENT_DAYS } from './account.js';
export { BATCH_TIMER, MAX_BATCH_TRANSFERS } from './batches.js';
export { OUTCOME_LISTENER, type TransferOutcome } from './transfers.js';

export type PayoutsService = ReturnType<typeof createPayoutsService>;

export function createPayoutsService(deps: PayoutsDeps) {
  const kit = createPayoutKit(deps);
  const steps = createTransferSteps({ deps, kit });
  listenForOutcomes({ deps, kit });
  return {
    ...createAccountService({ deps, kit }),
    ...createBeneficiaryService({ deps, kit }),
    ...createTransferService({ deps, kit, steps }),
    ...createBatchService({ deps, kit, steps }),
  };
}
