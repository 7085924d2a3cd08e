/**
 * What a company has configured for its Payment Gateway: the payment modes it accepts, the fees
 * its customers pay on top of the order amount (surcharge, convenience and platform fees, reference
 * §2.4) and the fees it pays on settlement (MDR, §2.6). Stored per company; a company that never
 * changed anything gets `defaultGatewaySettings`.
 */

/** EnKash `paymentMode` values (reference §2.2, CONFIRMED). */
export const PAYMENT_MODES = ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD', 'NET_BANKING', 'UPI', 'WALLET', 'PAY_LATER'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

/**
 * The two-letter mode of EnKash's fee keys (reference §2.4: `SC_|CF_|PF_` + mode + `_DEFAULT|code`).
 * `BC` (corporate, "business card") and `PC` (prepaid) are the SDK's; pay later shares `WA` with wallets.
 */
export const FEE_KEY_MODE: Record<PaymentMode, string> = {
  UPI: 'UP',
  WALLET: 'WA',
  PAY_LATER: 'WA',
  NET_BANKING: 'NB',
  CREDIT_CARD: 'CC',
  DEBIT_CARD: 'DC',
  PREPAID_CARD: 'PC',
  CORPORATE_CARD: 'BC',
};

/** Surcharge (SC), convenience fee (CF) and platform fee (PF): absolute amounts added to the order amount. */
export const FEE_KINDS = ['SC', 'CF', 'PF'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** A fee-rule key: `SC_UP_DEFAULT`, `CF_NB_HDFC`, `SC_CC_VISA` (reference §2.4). */
export const FEE_RULE_KEY = /^(SC|CF|PF)_(UP|WA|NB|CC|DC|PC|BC)_([A-Z0-9_]+)$/;

export interface GatewaySettings {
  companyId: string;
  /** Shown on the hosted checkout (`merchantInfo.merchantName`). */
  merchantName: string;
  /** The modes the company accepts, in checkout order; "Payment Modes Details" lists them. */
  enabledModes: PaymentMode[];
  /** Fee rules by key (FEE_RULE_KEY) to an amount in paise; the most specific key wins (code, then DEFAULT). */
  feeRules: Record<string, bigint>;
  /** GST on surcharge plus convenience fee, percent (reference §2.4 `surchargeGst`, 18). */
  surchargeGstPercent: number;
  /** Merchant discount rate per mode, in basis points of the order amount (1 bp = 0.01 %). */
  mdrBasisPoints: Record<PaymentMode, number>;
  /** GST on MDR, percent (18). */
  mdrGstPercent: number;
  /** Settlement on T + this many days (sandbox clock, IST calendar days). */
  settlementDelayDays: number;
  /** Payment attempts allowed per order (`paymentAttemptLeft` starts here). */
  maxPaymentAttempts: number;
  /** An unpaid order expires this many minutes after creation. */
  orderExpiryMinutes: number;
  /** How long a UPI collect waits for the payer (`upiCollectTimeout`, minutes, reference §2.4). */
  upiCollectTimeoutMinutes: number;
  /** The merchant's bank account that settlement payouts are paid to. */
  settlementAccount: { accountNumber: string; ifsc: string };
  /**
   * Origins (`https://shop.example.in`) whose pages may call the public checkout routes (the
   * custom checkout SDK, ADR 0035). Null: any origin for a sandbox company, none for another.
   */
  checkoutOrigins: string[] | null;
  /** Whether the company is a sandbox company (companies.sandbox_mode); not a setting, read with them. */
  sandbox: boolean;
}

/** An origin as a browser sends it: scheme, host and an optional port, nothing else. */
export const ORIGIN_PATTERN = '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$';

/** Whether a page on `origin` may call the company's public checkout routes (ADR 0035). */
export function allowsCheckoutOrigin(settings: Pick<GatewaySettings, 'checkoutOrigins' | 'sandbox'>, origin: string): boolean {
  if (settings.checkoutOrigins === null) return settings.sandbox;
  return settings.checkoutOrigins.includes(origin.toLowerCase());
}

/**
 * Where settlements go until the merchant names its account: a test account of the simulated
 * bank-transfer rail that accepts every transfer (docs/sandbox.md).
 */
export const DEFAULT_SETTLEMENT_ACCOUNT = { accountNumber: '100000000001', ifsc: 'HDFC0000001' } as const;

/**
 * Defaults, documented in docs/api/gateway.md. MDR rates are typical Indian card and netbanking
 * rates; UPI person-to-merchant payments carry no MDR (zero-MDR rule since 2020).
 */
export function defaultGatewaySettings(companyId: string, merchantName = 'Tijori Merchant', sandbox = true): GatewaySettings {
  return {
    companyId,
    merchantName,
    enabledModes: [...PAYMENT_MODES],
    feeRules: {},
    surchargeGstPercent: 18,
    mdrBasisPoints: {
      CREDIT_CARD: 180,
      DEBIT_CARD: 40,
      PREPAID_CARD: 180,
      CORPORATE_CARD: 250,
      NET_BANKING: 150,
      UPI: 0,
      WALLET: 190,
      PAY_LATER: 200,
    },
    mdrGstPercent: 18,
    settlementDelayDays: 1,
    maxPaymentAttempts: 5,
    orderExpiryMinutes: 30,
    upiCollectTimeoutMinutes: 5,
    settlementAccount: { ...DEFAULT_SETTLEMENT_ACCOUNT },
    checkoutOrigins: null,
    sandbox,
  };
}
