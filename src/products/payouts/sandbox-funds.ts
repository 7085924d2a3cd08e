import type { PayoutsService } from './service.js';

/** The sandbox company's opening payout balance (docs/sandbox.md, "Payouts"): documented test data. */
export const SANDBOX_PAYOUT_OPENING_RUPEES = 1_000_000;
export const SANDBOX_PAYOUT_OPENING_REFERENCE = 'Sandbox opening balance';

/**
 * Funds the sandbox company's payout balance once, as `tijori start` seeds it: an add-funds of
 * ₹10,00,000 (a `sandbox_funding` ledger transaction, like `POST /api/v0/payout-account/add-funds`)
 * when the company never had funds added. A balance spent or topped up since is left as it is.
 * Two starts seeding one PostgreSQL at once fund it once (the check holds an advisory lock).
 * Test apps do not call it: their payout tests start from a zero balance.
 */
export async function fundSandboxPayouts(payouts: Pick<PayoutsService, 'addFirstFunds'>, companyId: string): Promise<boolean> {
  return payouts.addFirstFunds(companyId, { amount: SANDBOX_PAYOUT_OPENING_RUPEES, reference: SANDBOX_PAYOUT_OPENING_REFERENCE });
}
