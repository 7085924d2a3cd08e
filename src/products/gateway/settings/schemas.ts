import { Type } from 'typebox';
import { formatRupees } from '../../../core/money/index.js';
import type { NetbankingRail, WalletRail } from '../../../rails/index.js';
import { ORIGIN_PATTERN, PAYMENT_MODES, type GatewaySettings, type PaymentMode } from './model.js';

const percent = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });
const modeName = Type.String({ enum: [...PAYMENT_MODES] });

export const settingsPayload = Type.Object({
  companyId: Type.String(),
  merchantName: Type.String(),
  enabledModes: Type.Array(modeName),
  feeRules: Type.Record(Type.String(), Type.Number(), { description: 'Fee rule key (reference §2.4) → rupees' }),
  surchargeGstPercent: Type.Integer(),
  mdrRates: Type.Record(Type.String(), Type.Number(), { description: 'Payment mode → MDR percent' }),
  mdrGstPercent: Type.Integer(),
  settlementDelayDays: Type.Integer(),
  maxPaymentAttempts: Type.Integer(),
  orderExpiryMinutes: Type.Integer(),
  upiCollectTimeoutMinutes: Type.Integer(),
  settlementAccount: Type.Object({ accountNumber: Type.String(), ifsc: Type.String() }),
  checkoutOrigins: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'Origins whose pages may call the public checkout routes (custom checkout SDK); null: any origin for a sandbox company, none for another',
  }),
});

export const settingsPatchBody = Type.Object({
  merchantName: Type.Optional(
    Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], { description: 'Name on the hosted checkout; null: the company name' }),
  ),
  enabledModes: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: PAYMENT_MODES.length, description: 'The accepted payment modes' })),
  feeRules: Type.Optional(
    Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
      maxProperties: 200,
      description: 'Replaces every fee rule: `SC_|CF_|PF_` + `UP|WA|NB|CC|DC|PC|BC` + `_DEFAULT|<code>` → rupees (reference §2.4)',
    }),
  ),
  surchargeGstPercent: Type.Optional(percent('GST on surcharge and fees, percent')),
  mdrRates: Type.Optional(
    Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 }), { description: 'Merged per mode: mode → MDR percent (two decimals)' }),
  ),
  mdrGstPercent: Type.Optional(percent('GST on MDR, percent')),
  settlementDelayDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, description: 'Settlement on T + N days' })),
  maxPaymentAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  orderExpiryMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 43_200 })),
  upiCollectTimeoutMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 45 })),
  settlementAccount: Type.Optional(
    Type.Object(
      {
        accountNumber: Type.String({ pattern: '^[0-9]{9,18}$', description: 'Bank account number, 9 to 18 digits' }),
        ifsc: Type.String({ pattern: '^[A-Z]{4}0[A-Z0-9]{6}$', description: 'IFSC of the branch' }),
      },
      { description: 'The bank account settlement payouts are paid to' },
    ),
  ),
  checkoutOrigins: Type.Optional(
    Type.Union([Type.Array(Type.String({ pattern: ORIGIN_PATTERN, maxLength: 200 }), { maxItems: 50 }), Type.Null()], {
      description:
        'Replaces the origins whose pages may call the public checkout routes (`https://shop.example.in`, no path); [] allows none; null: the default (any origin for a sandbox company, none for another)',
      examples: [['https://shop.example.in', 'http://localhost:3000']],
    }),
  ),
});

export function settingsToWire(s: GatewaySettings) {
  return {
    companyId: s.companyId,
    merchantName: s.merchantName,
    enabledModes: s.enabledModes,
    feeRules: Object.fromEntries(Object.entries(s.feeRules).map(([key, paise]) => [key, formatRupees(paise)])),
    surchargeGstPercent: s.surchargeGstPercent,
    mdrRates: Object.fromEntries(PAYMENT_MODES.map((mode) => [mode, s.mdrBasisPoints[mode] / 100])),
    mdrGstPercent: s.mdrGstPercent,
    settlementDelayDays: s.settlementDelayDays,
    maxPaymentAttempts: s.maxPaymentAttempts,
    orderExpiryMinutes: s.orderExpiryMinutes,
    upiCollectTimeoutMinutes: s.upiCollectTimeoutMinutes,
    settlementAccount: s.settlementAccount,
    checkoutOrigins: s.checkoutOrigins,
  };
}

const provider = Type.Object({ code: Type.String(), name: Type.String() });
const CARD_SCHEMES = ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS'];

export const paymentModesPayload = Type.Object({
  merchantName: Type.String(),
  paymentModes: Type.Array(Type.Object({ paymentMode: modeName, enabled: Type.Boolean() })),
  anyPaymentModeActive: Type.Boolean(),
  upi: Type.Boolean(),
  upiQrCodeEnabled: Type.Boolean(),
  upiVpaEnabled: Type.Boolean(),
  creditCard: Type.Boolean(),
  debitCard: Type.Boolean(),
  prepaidCard: Type.Boolean(),
  corporateCard: Type.Boolean(),
  netBanking: Type.Boolean(),
  wallet: Type.Boolean(),
  payLater: Type.Boolean(),
  cardSchemesSupported: Type.Array(Type.String()),
  netBankingList: Type.Array(provider),
  walletList: Type.Array(provider),
  payLaterList: Type.Array(provider),
  upiCollectTimeout: Type.Integer({ description: 'Minutes a UPI collect waits for the payer' }),
  surchargeGst: Type.Integer(),
  surcharges: Type.Record(Type.String(), Type.Number()),
});

/**
 * "Payment Modes Details" (reference §1.2(a) nav; payload INFERRED): the flags and lists of the
 * hosted checkout's order detail (§2.4), for the company's enabled modes.
 */
export function paymentModesDetails(s: GatewaySettings, rails: { netbanking: NetbankingRail; wallet: WalletRail }) {
  const on = (mode: PaymentMode) => s.enabledModes.includes(mode);
  return {
    merchantName: s.merchantName,
    paymentModes: PAYMENT_MODES.map((mode) => ({ paymentMode: mode, enabled: on(mode) })),
    anyPaymentModeActive: s.enabledModes.length > 0,
    upi: on('UPI'),
    upiQrCodeEnabled: on('UPI'),
    upiVpaEnabled: on('UPI'),
    creditCard: on('CREDIT_CARD'),
    debitCard: on('DEBIT_CARD'),
    prepaidCard: on('PREPAID_CARD'),
    corporateCard: on('CORPORATE_CARD'),
    netBanking: on('NET_BANKING'),
    wallet: on('WALLET'),
    payLater: on('PAY_LATER'),
    cardSchemesSupported: ['CREDIT_CARD', 'DEBIT_CARD', 'PREPAID_CARD', 'CORPORATE_CARD'].some((m) => on(m as PaymentMode)) ? CARD_SCHEMES : [],
    netBankingList: on('NET_BANKING') ? rails.netbanking.banks() : [],
    walletList: on('WALLET') ? rails.wallet.providers('WALLET') : [],
    payLaterList: on('PAY_LATER') ? rails.wallet.providers('PAY_LATER') : [],
    upiCollectTimeout: s.upiCollectTimeoutMinutes,
    surchargeGst: s.surchargeGstPercent,
    surcharges: Object.fromEntries(Object.entries(s.feeRules).map(([key, paise]) => [key, formatRupees(paise)])),
  };
}
