import { RailInputError } from '../errors.js';

/** IFSC: four letters (the bank), a zero, six letters or digits (the branch) — RBI; reference §2.2. */
export const IFSC_PATTERN = /^[A-Z]{4}0[A-Z0-9]{6}$/;
/** PAN: five letters, four digits, a letter; the fourth letter is the holder type. */
export const PAN_PATTERN = /^[A-Z]{3}[PCHFATBLJG][A-Z][0-9]{4}[A-Z]$/;
/** GSTIN: state code, the holder's PAN, entity number, `Z`, check character. */
export const GSTIN_PATTERN = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

export const PAN_HOLDER_TYPES: Record<string, string> = {
  P: 'Individual',
  C: 'Company',
  H: 'Hindu Undivided Family',
  F: 'Firm / LLP',
  A: 'Association of Persons',
  T: 'Trust',
  B: 'Body of Individuals',
  L: 'Local Authority',
  J: 'Artificial Juridical Person',
  G: 'Government',
};

/** The constitution of a GST taxpayer by its PAN's holder type, when the fixture names none. */
export const GST_CONSTITUTIONS: Record<string, string> = {
  P: 'Proprietorship',
  C: 'Private Limited Company',
  H: 'Hindu Undivided Family',
  F: 'Partnership',
  A: 'Association of Persons',
  T: 'Trust',
  B: 'Body of Individuals',
  L: 'Local Authority',
  J: 'Artificial Juridical Person',
  G: 'Government Department',
};

/** GST state codes (the first two digits of a GSTIN); 97 is "Other Territory", 99 "Centre Jurisdiction". */
export const GST_STATES: Record<string, string> = {
  '01': 'Jammu and Kashmir',
  '02': 'Himachal Pradesh',
  '03': 'Punjab',
  '04': 'Chandigarh',
  '05': 'Uttarakhand',
  '06': 'Haryana',
  '07': 'Delhi',
  '08': 'Rajasthan',
  '09': 'Uttar Pradesh',
  '10': 'Bihar',
  '11': 'Sikkim',
  '12': 'Arunachal Pradesh',
  '13': 'Nagaland',
  '14': 'Manipur',
  '15': 'Mizoram',
  '16': 'Tripura',
  '17': 'Meghalaya',
  '18': 'Assam',
  '19': 'West Bengal',
  '20': 'Jharkhand',
  '21': 'Odisha',
  '22': 'Chhattisgarh',
  '23': 'Madhya Pradesh',
  '24': 'Gujarat',
  '26': 'Dadra and Nagar Haveli and Daman and Diu',
  '27': 'Maharashtra',
  '29': 'Karnataka',
  '30': 'Goa',
  '31': 'Lakshadweep',
  '32': 'Kerala',
  '33': 'Tamil Nadu',
  '34': 'Puducherry',
  '35': 'Andaman and Nicobar Islands',
  '36': 'Telangana',
  '37': 'Andhra Pradesh',
  '38': 'Ladakh',
  '97': 'Other Territory',
  '99': 'Centre Jurisdiction',
};

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The GSTIN check character (the 15th): a Luhn mod-36 over the first 14 characters, weights 1 and 2
 * alternating from the left, each product folded as quotient + remainder of 36, as GSTN documents.
 */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const product = BASE36.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return BASE36[(36 - (sum % 36)) % 36]!;
}

/** @throws invalid_rail_input (param `ifsc`) */
export function normalizeIfsc(raw: string): string {
  const ifsc = raw.trim().toUpperCase();
  if (!IFSC_PATTERN.test(ifsc)) throw new RailInputError('Invalid field ifsc: must be 4 letters, 0, then 6 letters or digits', { param: 'ifsc' });
  return ifsc;
}

/**
 * Syntax and holder type. The Income Tax Department does not publish the algorithm of the PAN's
 * last (check) letter, so no checksum is verified. @throws invalid_rail_input (param `pan`)
 */
export function normalizePan(raw: string): string {
  const pan = raw.trim().toUpperCase();
  if (!PAN_PATTERN.test(pan)) {
    throw new RailInputError('Invalid field pan: must be 5 letters (the 4th a holder type: P, C, H, F, A, T, B, L, J or G), 4 digits, 1 letter', {
      param: 'pan',
    });
  }
  return pan;
}

/** Syntax, state code, embedded PAN and check character. @throws invalid_rail_input (param `gstin`) */
export function normalizeGstin(raw: string): string {
  const gstin = raw.trim().toUpperCase();
  const bad = (why: string) => new RailInputError(`Invalid field gstin: ${why}`, { param: 'gstin' });
  if (!GSTIN_PATTERN.test(gstin)) throw bad('must be a 2-digit state code, a PAN, an entity number, Z and a check character (15 characters)');
  if (!GST_STATES[gstin.slice(0, 2)]) throw bad(`unknown state code ${gstin.slice(0, 2)}`);
  if (!PAN_PATTERN.test(gstin.slice(2, 12))) throw bad('characters 3 to 12 are not a PAN');
  if (gstinCheckCharacter(gstin.slice(0, 14)) !== gstin[14]) throw bad('the check character does not match');
  return gstin;
}
