import type { Provider } from '../provider-rail.js';
import { PROVIDER_SCENARIOS } from '../provider-rail.js';
import type { RailTestData } from '../test-data.js';

export type WalletKind = 'WALLET' | 'PAY_LATER';

export interface WalletProvider extends Provider {
  kind: WalletKind;
}

const ok = (code: string, name: string, kind: WalletKind): WalletProvider => ({
  code,
  name,
  kind,
  scenario: 'succeed',
  outcome: 'succeeded',
  description: name,
});

/** Wallets and pay-later providers by EnKash `bankCode` (payment modes WALLET and PAY_LATER, reference §2.2). */
export const WALLET_PROVIDERS: readonly WalletProvider[] = [
  ok('PAYTM', 'Paytm Wallet', 'WALLET'),
  ok('PHONEPE', 'PhonePe Wallet', 'WALLET'),
  ok('AMAZONPAY', 'Amazon Pay Balance', 'WALLET'),
  ok('AIRTEL', 'Airtel Payments Bank Wallet', 'WALLET'),
  {
    code: 'MOBIKWIK',
    name: 'MobiKwik',
    kind: 'WALLET',
    scenario: 'decline:insufficient_balance',
    outcome: 'declined (insufficient_balance)',
    description: 'MobiKwik: the wallet balance is too low',
  },
  { code: 'FREECHARGE', name: 'Freecharge', kind: 'WALLET', scenario: 'timeout', outcome: 'no answer', description: 'Freecharge: the provider never answers' },
  {
    code: 'JIOMONEY',
    name: 'JioMoney',
    kind: 'WALLET',
    scenario: 'succeed_after:PT1M',
    outcome: 'pending, then succeeded after PT1M',
    description: 'JioMoney: success after a minute',
  },
  {
    code: 'OLAMONEY',
    name: 'Ola Money',
    kind: 'WALLET',
    scenario: 'fail:provider_unavailable',
    outcome: 'failed (provider_unavailable)',
    description: 'Ola Money: the provider is down',
  },
  ok('SIMPL', 'Simpl', 'PAY_LATER'),
  ok('ICICIPAYLATER', 'ICICI Bank PayLater', 'PAY_LATER'),
  {
    code: 'LAZYPAY',
    name: 'LazyPay',
    kind: 'PAY_LATER',
    scenario: 'decline:credit_limit_exceeded',
    outcome: 'declined (credit_limit_exceeded)',
    description: 'LazyPay: the credit limit is exceeded',
  },
];

export const walletTestData: RailTestData = {
  rail: 'wallet',
  title: 'Wallets and pay later',
  summary: 'The customer pays from a wallet or a pay-later account; the provider code decides the outcome.',
  scenarios: PROVIDER_SCENARIOS,
  defaultOutcome: 'every listed provider not named below succeeds at once; an unlisted code is refused (`invalid_rail_input`, param `bankCode`)',
  rules: [
    `Wallets: ${WALLET_PROVIDERS.filter((w) => w.kind === 'WALLET')
      .map((w) => `\`${w.code}\``)
      .join(', ')}. Pay later: ${WALLET_PROVIDERS.filter((w) => w.kind === 'PAY_LATER')
      .map((w) => `\`${w.code}\``)
      .join(', ')}.`,
    'On the hosted checkout, the simulated wallet page (`/pay/bank/…`) asks to confirm: `Confirm payment` sends the payment to the provider (its code decides the outcome), `Cancel` cancels the transaction.',
  ],
  magicValues: WALLET_PROVIDERS.filter((w) => w.scenario !== 'succeed').map((w) => ({
    kind: 'wallet code',
    value: w.code,
    operation: 'pay',
    outcome: w.outcome,
    description: w.description,
  })),
};
