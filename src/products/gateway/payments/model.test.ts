import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultGatewaySettings, PAYMENT_MODES, type PaymentMode } from '../settings/index.js';
import {
  cardInputProblem,
  checksumMessage,
  isCapabilityId,
  computeMdr,
  feeRule,
  luhnValid,
  maskCard,
  notifyChecksum,
  quoteFees,
  upiAppLinks,
} from './model.js';

const settings = defaultGatewaySettings('CEK1GZBO6A');

describe('fees (reference §2.4)', () => {
  it('takes the most specific key: the first code that has a rule, then DEFAULT', () => {
    const rules = { SC_CC_DEFAULT: 100n, SC_CC_VISA: 200n, SC_CC_HDFC: 300n, CF_NB_DEFAULT: 50n };
    expect(feeRule(rules, 'SC', 'CREDIT_CARD', ['VISA', 'HDFC'])).toEqual({ key: 'SC_CC_VISA', paise: 200n });
    expect(feeRule(rules, 'SC', 'CREDIT_CARD', ['RUPAY', 'HDFC'])).toEqual({ key: 'SC_CC_HDFC', paise: 300n });
    expect(feeRule(rules, 'SC', 'CREDIT_CARD', ['AMEX'])).toEqual({ key: 'SC_CC_DEFAULT', paise: 100n });
    expect(feeRule(rules, 'SC', 'DEBIT_CARD', ['VISA'])).toBeNull();
    expect(feeRule(rules, 'CF', 'NET_BANKING', ['sbin'])).toEqual({ key: 'CF_NB_DEFAULT', paise: 50n });
    // Pay later shares the wallets' WA keys.
    expect(feeRule({ PF_WA_DEFAULT: 7n }, 'PF', 'PAY_LATER', [])).toEqual({ key: 'PF_WA_DEFAULT', paise: 7n });
  });

  it('adds GST on the surcharge and convenience fee, rounded half up to the paisa; a platform fee is never charged', () => {
    // 18 % of ₹0.25 is 4.5 paise: half up gives 5.
    expect(quoteFees({ ...settings, feeRules: { SC_UP_DEFAULT: 25n } }, 10_000n, 'UPI')).toMatchObject({
      totalFeesPaise: 25n,
      gstPaise: 5n,
      finalAmountPaise: 10_030n,
    });
    expect(quoteFees({ ...settings, feeRules: { SC_UP_DEFAULT: 1000n, CF_UP_DEFAULT: 500n, PF_UP_DEFAULT: 100n } }, 10_000n, 'UPI')).toMatchObject({
      surchargePaise: 1000n,
      convenienceFeePaise: 500n,
      platformFeePaise: 100n,
      totalFeesPaise: 1500n,
      gstPaise: 270n,
      finalAmountPaise: 11_770n,
    });
    expect(quoteFees(settings, 10_000n, 'UPI')).toMatchObject({ totalFeesPaise: 0n, gstPaise: 0n, finalAmountPaise: 10_000n });
  });

  it('property: finalAmount = amount + fees + GST, GST within half a paisa of the exact rate, never negative', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.constantFrom(...PAYMENT_MODES),
        fc.bigInt({ min: 0n, max: 10n ** 7n }),
        fc.bigInt({ min: 0n, max: 10n ** 7n }),
        fc.integer({ min: 0, max: 2800 }),
        (amount, mode: PaymentMode, sc, cf, gstBp) => {
          const key = (kind: string) =>
            `${kind}_${{ UPI: 'UP', WALLET: 'WA', PAY_LATER: 'WA', NET_BANKING: 'NB', CREDIT_CARD: 'CC', DEBIT_CARD: 'DC', PREPAID_CARD: 'PC', CORPORATE_CARD: 'BC' }[mode]}_DEFAULT`;
          const q = quoteFees({ feeRules: { [key('SC')]: sc, [key('CF')]: cf }, surchargeGstPercent: gstBp / 100 }, amount, mode);
          expect(q.finalAmountPaise).toBe(amount + q.totalFeesPaise + q.gstPaise);
          expect(q.totalFeesPaise).toBe(sc + cf);
          const exactTimes2 = (2n * (sc + cf) * BigInt(gstBp)) / 10_000n;
          expect(2n * q.gstPaise - exactTimes2 <= 1n && exactTimes2 - 2n * q.gstPaise <= 1n).toBe(true);
        },
      ),
    );
  });
});

describe('MDR', () => {
  it('basis points of the amount and 18 % GST, each rounded half up', () => {
    expect(computeMdr(settings, 10_000n, 'CREDIT_CARD')).toEqual({ mdrPaise: 180n, mdrGstPaise: 32n });
    expect(computeMdr(settings, 25_050n, 'DEBIT_CARD')).toEqual({ mdrPaise: 100n, mdrGstPaise: 18n });
    expect(computeMdr(settings, 12_345n, 'UPI')).toEqual({ mdrPaise: 0n, mdrGstPaise: 0n });
    // 1.5 % of ₹0.33 = 0.495 paise → 0; 1.5 % of ₹0.34 = 0.51 → 1.
    expect(computeMdr(settings, 33n, 'NET_BANKING').mdrPaise).toBe(0n);
    expect(computeMdr(settings, 34n, 'NET_BANKING').mdrPaise).toBe(1n);
  });
});

describe('notify checksum (docs/api/gateway-payments.md worked example)', () => {
  const fields = {
    orderId: 'ORD1767225600000VZuxB',
    transactionId: 'TXN1767225600000Ab3dE',
    uniqueTransactionId: 'EK1767225600000K7Q2M9XZ',
    amountPaise: 10_000n,
    status: 'SUCCESS',
  };

  it('signs orderId|transactionId|uniqueTransactionId|amount|status with the amount in two decimals', () => {
    expect(checksumMessage(fields)).toBe('ORD1767225600000VZuxB|TXN1767225600000Ab3dE|EK1767225600000K7Q2M9XZ|100.00|SUCCESS');
    const expected = createHmac('sha256', 'sandbox_secret_64b0ff0332f058b5').update(checksumMessage(fields)).digest('hex');
    expect(notifyChecksum('sandbox_secret_64b0ff0332f058b5', fields)).toBe(expected);
    expect(notifyChecksum('sandbox_secret_64b0ff0332f058b5', fields)).toBe('5878fce2da2adf6a5b06efe0afc2e302bce2d6cb24dc9817df3c0a90d1aa09ac');
  });
});

describe('card input', () => {
  it('checks length, Luhn, network, expiry format and CVV length per network', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    const ok = { cardNumber: '4111 1111 1111 1111', expiry: '12/30', cvv: '123' };
    expect(cardInputProblem(ok, 'VISA')).toBeNull();
    expect(cardInputProblem({ ...ok, cardNumber: '4111' }, 'VISA')).toEqual({
      param: 'cardNumber',
      message: 'Invalid field cardNumber: must be 12 to 19 digits',
    });
    expect(cardInputProblem(ok, undefined)).toEqual({ param: 'cardNumber', message: 'Invalid field cardNumber: unsupported card network' });
    expect(cardInputProblem({ ...ok, expiry: '13/30' }, 'VISA')).toEqual({ param: 'expiry', message: 'Invalid field expiry: must be MM/YY' });
    expect(cardInputProblem({ ...ok, cardNumber: '378282246310005' }, 'AMEX')).toEqual({
      param: 'cvv',
      message: 'Invalid field cvv: must be 4 digits for AMEX',
    });
  });

  it('property: changing one digit of a Luhn-valid number breaks the check', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15}$/), fc.nat(14), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const check = [...Array(10).keys()].find((d) => luhnValid(body + d))!;
        const valid = body + check;
        const digits = [...valid];
        digits[at] = String((Number(digits[at]) + delta) % 10);
        expect(luhnValid(digits.join(''))).toBe(false);
      }),
    );
  });

  it('masks a card as BIN, six X and the last four', () => {
    expect(maskCard('411111', '1111')).toBe('411111XXXXXX1111');
    expect(maskCard(null, null)).toBeNull();
  });
});

describe('UPI app links', () => {
  it('keeps the upi://pay query for each app scheme', () => {
    expect(upiAppLinks('upi://pay?pa=a%40b&am=1.00&cu=INR')).toEqual({
      gpay: 'tez://upi/pay?pa=a%40b&am=1.00&cu=INR',
      phonepe: 'phonepe://pay?pa=a%40b&am=1.00&cu=INR',
      paytm: 'paytmmp://pay?pa=a%40b&am=1.00&cu=INR',
      upi: 'upi://pay?pa=a%40b&am=1.00&cu=INR',
    });
  });
});

describe('event examples', () => {
  it('carry the checksum of their own fields (docs/events.md shows them)', async () => {
    const { PAYMENT_SUCCESS, PAYMENT_FAILED } = await import('./events.js');
    for (const { example } of [PAYMENT_SUCCESS, PAYMENT_FAILED]) {
      const amountPaise = BigInt(Math.round(example.amount * 100));
      expect(example.checksum).toBe(notifyChecksum('sandbox_secret_64b0ff0332f058b5', { ...example, amountPaise }));
      expect(example.finalAmount).toBe(example.amount + example.surcharge + example.surchargeGst);
    }
  });
});

describe('transaction ids as capabilities (ADR 0035)', () => {
  it('an id minted before the long suffix (5 random characters) is no capability: it still needs its key', () => {
    expect(isCapabilityId('TXN1767225600000Ab3dE')).toBe(false);
    expect(isCapabilityId(`TXN1767225600000${'Ab3dE'.repeat(3)}x`)).toBe(true);
    expect(isCapabilityId(`TXN17672256000${'A'.repeat(19)}`)).toBe(false);
  });
});
