import { describe, expect, it } from 'vitest';
import { closedProblem, newQrId, qrUpiString } from './model.js';

describe('UPI QR model', () => {
  const payee = { vpa: 'cek1gzbo6a@enkash', name: 'Asha & Sons' };

  it('builds the upi://pay string: am only for a fixed amount, tn only with a description, RFC 3986 encoding', () => {
    expect(qrUpiString({ id: 'QR1767225600000aB3xZ', amountPaise: null, description: null }, payee)).toBe(
      'upi://pay?pa=cek1gzbo6a%40enkash&pn=Asha%20%26%20Sons&mc=5399&tr=QR1767225600000aB3xZ&cu=INR',
    );
    expect(qrUpiString({ id: 'QR1', amountPaise: 12_345n, description: 'Bill #7 (June)' }, payee)).toBe(
      'upi://pay?pa=cek1gzbo6a%40enkash&pn=Asha%20%26%20Sons&mc=5399&tr=QR1&tn=Bill%20%237%20(June)&am=123.45&cu=INR',
    );
  });

  it('ids are valid UPI transaction references (≤ 35 letters and digits)', () => {
    for (const prefix of ['QR', 'QRC', 'QRP'] as const)
      expect(newQrId(prefix, new Date('2026-01-01T00:00:00Z'))).toMatch(new RegExp(`^${prefix}1767225600000[A-Za-z0-9]{5}$`));
  });

  it('refuses payment when closed or at closeBy, not a millisecond before', () => {
    const closeBy = new Date('2026-01-01T01:00:00Z');
    const open = { status: 'ACTIVE' as const, closeReason: null, closeBy };
    expect(closedProblem(open, new Date(closeBy.getTime() - 1))).toBeNull();
    expect(closedProblem(open, closeBy)).toBe('The QR code closed at 2026-01-01T01:00:00.000Z and takes no payment');
    expect(closedProblem({ status: 'CLOSED', closeReason: 'PAID', closeBy: null }, new Date(0))).toBe('The QR code is closed (PAID) and takes no payment');
  });
});
