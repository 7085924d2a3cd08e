import { RailInputError } from '../errors.js';

/**
 * A VPA (UPI id): a handle of 2–256 letters, digits, dots, dashes or underscores, `@`, and a PSP
 * handle that starts with a letter. VPAs are case-insensitive; the rail compares them lower-cased.
 */
const VPA = /^[a-zA-Z0-9._-]{2,256}@[a-zA-Z][a-zA-Z0-9]{1,63}$/;

export function isVpa(text: string): boolean {
  return VPA.test(text);
}

/** @throws invalid_rail_input naming `param`. */
export function normalizeVpa(text: string, param = 'vpa'): string {
  if (!isVpa(text)) throw new RailInputError(`Invalid field ${param}: not a VPA (expected handle@psp)`, { param });
  return text.toLowerCase();
}

/** Paise as the rupee string of UPI and EnKash wires: two decimals, no grouping. */
export function formatRupees(paise: bigint): string {
  const sign = paise < 0n ? '-' : '';
  const abs = paise < 0n ? -paise : paise;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export interface UpiPayParams {
  /** Payee VPA. */
  pa: string;
  /** Payee name. */
  pn: string;
  /** Amount in paise; omitted lets the payer enter it (a static QR). */
  amountPaise?: bigint;
  /** Transaction reference (the order or QR id), up to 35 characters. */
  tr?: string;
  /** Note shown to the payer, up to 50 characters. */
  tn?: string;
  /** Merchant category code, 4 digits. */
  mc?: string;
  /** Currency; UPI carries only INR. */
  cu?: 'INR';
}

/**
 * A `upi://pay` deep link (intent or QR) with the parameters of NPCI's UPI Linking Specification:
 * `pa`, `pn`, `mc`, `tr`, `tn`, `am` (rupees, two decimals), `cu`. Values are percent-encoded
 * (RFC 3986), so a space is `%20`. @throws invalid_rail_input naming the parameter.
 */
export function buildUpiUri(p: UpiPayParams): string {
  const bad = (param: string, why: string) => new RailInputError(`Invalid field ${param}: ${why}`, { param });
  if (!isVpa(p.pa)) throw bad('pa', 'not a VPA');
  if (p.pn.trim() === '' || p.pn.length > 99) throw bad('pn', 'must be 1 to 99 characters');
  if (p.mc !== undefined && !/^\d{4}$/.test(p.mc)) throw bad('mc', 'must be 4 digits');
  if (p.tr !== undefined && !/^[A-Za-z0-9._-]{1,35}$/.test(p.tr)) throw bad('tr', 'must be 1 to 35 letters, digits, dots, dashes or underscores');
  if (p.tn !== undefined && (p.tn.length === 0 || p.tn.length > 50)) throw bad('tn', 'must be 1 to 50 characters');
  if (p.amountPaise !== undefined && p.amountPaise <= 0n) throw bad('am', 'must be positive');
  const params: Array<[string, string]> = [
    ['pa', p.pa],
    ['pn', p.pn],
  ];
  if (p.mc !== undefined) params.push(['mc', p.mc]);
  if (p.tr !== undefined) params.push(['tr', p.tr]);
  if (p.tn !== undefined) params.push(['tn', p.tn]);
  if (p.amountPaise !== undefined) params.push(['am', formatRupees(p.amountPaise)]);
  params.push(['cu', p.cu ?? 'INR']);
  return `upi://pay?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}
