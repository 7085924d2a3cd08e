import type { ProductTestData } from '../../rails/index.js';
import { SANDBOX_PAYOUT_OPENING_REFERENCE } from './sandbox-funds.js';

/**
 * What the sandbox documents about Payouts beside the bank-transfer rail: the sandbox company's
 * opening payout balance (funded once by `tijori start`'s seed, src/products/payouts/sandbox-funds.ts)
 * and how to add more.
 */
export const payoutTestData: ProductTestData = {
  product: 'payouts',
  title: 'Payouts balance',
  summary:
    'The payout balance (`GET /api/v0/payout-account/balance`) pays transfers. The sandbox company of the portal page starts with ₹10,00,000.00 on it, so that a first transfer needs no set-up; any sandbox company adds more with `POST /api/v0/payout-account/add-funds` (a simulated inward IMPS credit, at once).',
  scenarios: [],
  defaultOutcome: 'a transfer larger than the balance is refused: `Insufficient balance in payout account`, nothing recorded',
  rules: [
    `The opening balance is one add-funds of ₹10,00,000.00 (reference "${SANDBOX_PAYOUT_OPENING_REFERENCE}", ledger code \`sandbox_funding\`), made by \`tijori start\` when the sandbox company never had funds added; a balance spent or topped up since is left as it is.`,
    'Companies made with `tijori company create` start at ₹0: add funds first.',
  ],
  // No magic value: the opening balance is the seeded company's, named in the README's sandbox credentials.
  magicValues: [],
};
