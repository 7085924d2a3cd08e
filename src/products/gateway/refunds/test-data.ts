import { formatIsoDuration, type ProductTestData, type ScenarioName } from '../../../rails/index.js';

/**
 * Sandbox time a gateway refund takes on each payment rail before it completes (issue 4, part 9).
 * Shorter than the real ones (cards take 5–7 working days, UPI minutes), so that a test or a demo
 * sees a refund complete within one clock advance; a scenario sets any other delay. The gateway's
 * refunds plan with these values (src/products/gateway/refunds/model.ts), and a test runs every
 * documented outcome below through that plan.
 */
export const REFUND_DELAY_MS: Readonly<Record<'upi' | 'wallet' | 'netbanking' | 'card', number>> = {
  upi: 10 * 60_000,
  wallet: 30 * 60_000,
  netbanking: 2 * 3_600_000,
  card: 24 * 3_600_000,
};

/** Scenarios a refund accepts on `X-Tijori-Scenario`. */
export const REFUND_SCENARIOS = ['succeed', 'fail', 'decline', 'succeed_after', 'fail_after'] as const satisfies readonly ScenarioName[];

/** The reason of a failed refund when the scenario names none. */
export const DEFAULT_REFUND_FAILURE = 'refund_rejected_by_bank';

const RAIL_NAME: Record<keyof typeof REFUND_DELAY_MS, string> = {
  card: 'Cards (credit, debit, prepaid, corporate)',
  netbanking: 'Netbanking',
  upi: 'UPI (collect and intent)',
  wallet: 'Wallets and pay later',
};

export const refundTestData: ProductTestData = {
  product: 'gateway_refunds',
  title: 'Payment Gateway refunds',
  summary:
    "A refund (`POST /api/v0/payment/{transactionId}/refund`) answers `CREATED` at once and completes on the company's sandbox clock after the delay of the payment's rail; a scenario on the refund request decides another outcome or delay.",
  scenarios: [...REFUND_SCENARIOS],
  defaultOutcome: "the refund succeeds after its rail's delay (below), with an ARN (cards) or an RRN (other rails)",
  rules: [
    'The delay is counted from the refund request, on the sandbox clock: advance it (`POST /api/v0/sandbox/clock/advance`) to see the refund complete.',
    `A failed refund gives its amount back to the payment (it can be refunded again); the reason is the scenario's, else \`${DEFAULT_REFUND_FAILURE}\`.`,
    'A refund that succeeds before a settlement batch runs is deducted in that batch, even if its payment settles later (a carry-forward, recovered from the next batch).',
    'Any other scenario answers 400 `scenario_not_supported`.',
  ],
  magicValues: [
    ...(Object.keys(REFUND_DELAY_MS) as Array<keyof typeof REFUND_DELAY_MS>).map((rail) => ({
      kind: 'payment rail',
      value: rail,
      operation: 'refund',
      outcome: `created, then succeeded after ${formatIsoDuration(REFUND_DELAY_MS[rail])}`,
      description: `${RAIL_NAME[rail]}: the rail's refund delay`,
    })),
    {
      kind: 'scenario',
      value: 'fail',
      operation: 'refund',
      outcome: `created, then failed (${DEFAULT_REFUND_FAILURE}) after the rail's delay`,
      description: 'The bank rejects the refund',
    },
    {
      kind: 'scenario',
      value: 'decline:account_closed',
      operation: 'refund',
      outcome: "created, then failed (account_closed) after the rail's delay",
      description: 'The refund fails with the reason named',
    },
    {
      kind: 'scenario',
      value: 'succeed_after:PT5M',
      operation: 'refund',
      outcome: 'created, then succeeded after PT5M',
      description: 'Success after the duration named, whatever the rail',
    },
    {
      kind: 'scenario',
      value: 'fail_after:PT1H',
      operation: 'refund',
      outcome: `created, then failed (${DEFAULT_REFUND_FAILURE}) after PT1H`,
      description: 'Failure after the duration named, whatever the rail',
    },
  ],
};
