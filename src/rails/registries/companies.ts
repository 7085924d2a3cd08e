import { RailInputError } from '../errors.js';

/**
 * The Ministry of Corporate Affairs' identifiers (issue 20 part 9): the CIN of a company and the
 * LLPIN of a limited liability partnership, their parsing, and the sandbox's master data.
 */

/** CIN: listing, NIC industry code, state, year of incorporation, type, registration number. */
export const CIN_PATTERN = /^[LU][0-9]{5}[A-Z]{2}[0-9]{4}[A-Z]{3}[0-9]{6}$/;
/** LLPIN: three letters, a hyphen, four digits. */
export const LLPIN_PATTERN = /^[A-Z]{3}-[0-9]{4}$/;

/** The company types of a CIN (its 13th–15th characters). */
export const CIN_TYPES: Record<string, string> = {
  PLC: 'Public Limited Company',
  PTC: 'Private Limited Company',
  OPC: 'One Person Company',
  GOI: 'Company owned by the Government of India',
  SGC: 'Company owned by a State Government',
  FTC: 'Subsidiary of a Foreign Company',
  FLC: 'Financial Lease Company',
  GAP: 'General Association, Public',
  GAT: 'General Association, Private',
  NPL: 'Not-for-profit Licensed Company (section 8)',
  ULL: 'Public Unlimited Liability Company',
  ULT: 'Private Unlimited Liability Company',
};

/** The states and union territories of a CIN (its 7th–8th characters), as the Registrars of Companies code them. */
export const CIN_STATES: Record<string, string> = {
  AN: 'Andaman and Nicobar Islands',
  AP: 'Andhra Pradesh',
  AR: 'Arunachal Pradesh',
  AS: 'Assam',
  BR: 'Bihar',
  CH: 'Chandigarh',
  CT: 'Chhattisgarh',
  DD: 'Daman and Diu',
  DL: 'Delhi',
  DN: 'Dadra and Nagar Haveli',
  GA: 'Goa',
  GJ: 'Gujarat',
  HP: 'Himachal Pradesh',
  HR: 'Haryana',
  JH: 'Jharkhand',
  JK: 'Jammu and Kashmir',
  KA: 'Karnataka',
  KL: 'Kerala',
  LA: 'Ladakh',
  LD: 'Lakshadweep',
  MH: 'Maharashtra',
  ML: 'Meghalaya',
  MN: 'Manipur',
  MP: 'Madhya Pradesh',
  MZ: 'Mizoram',
  NL: 'Nagaland',
  OR: 'Odisha',
  PB: 'Punjab',
  PY: 'Puducherry',
  RJ: 'Rajasthan',
  SK: 'Sikkim',
  TG: 'Telangana',
  TN: 'Tamil Nadu',
  TR: 'Tripura',
  UP: 'Uttar Pradesh',
  UR: 'Uttarakhand',
  WB: 'West Bengal',
};

export interface ParsedCin {
  cin: string;
  listing: 'LISTED' | 'UNLISTED';
  /** The NIC 2008 industry code of the main activity. */
  industryCode: string;
  stateCode: string;
  state: string;
  yearOfIncorporation: number;
  companyType: string;
  companyTypeName: string;
  registrationNumber: string;
}

/** Syntax, state, type, and a year not after `now`'s. @throws invalid_rail_input (param `cin`) */
export function parseCin(raw: string, now: Date): ParsedCin {
  const cin = raw.trim().toUpperCase();
  const bad = (why: string) => new RailInputError(`Invalid field cin: ${why}`, { param: 'cin' });
  if (!CIN_PATTERN.test(cin)) throw bad('must be L or U, 5 digits, a 2-letter state, a 4-digit year, a 3-letter type and 6 digits (21 characters)');
  const stateCode = cin.slice(6, 8);
  const state = CIN_STATES[stateCode];
  if (!state) throw bad(`unknown state code ${stateCode}`);
  const year = Number(cin.slice(8, 12));
  if (year < 1850 || year > now.getUTCFullYear()) throw bad(`the year of incorporation ${year} is not between 1850 and this year`);
  const companyType = cin.slice(12, 15);
  const companyTypeName = CIN_TYPES[companyType];
  if (!companyTypeName) throw bad(`unknown company type ${companyType}`);
  return {
    cin,
    listing: cin[0] === 'L' ? 'LISTED' : 'UNLISTED',
    industryCode: cin.slice(1, 6),
    stateCode,
    state,
    yearOfIncorporation: year,
    companyType,
    companyTypeName,
    registrationNumber: cin.slice(15),
  };
}

/** @throws invalid_rail_input (param `llpin`) */
export function normalizeLlpin(raw: string): string {
  const llpin = raw.trim().toUpperCase();
  if (!LLPIN_PATTERN.test(llpin)) throw new RailInputError('Invalid field llpin: must be 3 letters, a hyphen and 4 digits (AAA-1234)', { param: 'llpin' });
  return llpin;
}

export type CompanyStatus = 'Active' | 'Strike Off' | 'Amalgamated' | 'Under Liquidation' | 'Dormant';
export type LlpStatus = 'Active' | 'Strike Off' | 'Under Liquidation';

export interface CompanyEntity {
  cin: string;
  name: string;
  status: CompanyStatus;
  incorporationDate: string;
  registeredAddress: string;
  description: string;
  outcome: string;
}

export interface LlpEntity {
  llpin: string;
  name: string;
  status: LlpStatus;
  incorporationDate: string;
  registeredAddress: string;
  designatedPartners: number;
  description: string;
  outcome: string;
}

/** Sandbox master data: a well-formed CIN not listed here is not found. */
export const COMPANY_FIXTURES: readonly CompanyEntity[] = [
  {
    cin: 'U72900MH2017PTC123456',
    name: 'TIJORI TEST PRIVATE LIMITED',
    status: 'Active',
    incorporationDate: '2017-05-12',
    registeredAddress: '4th Floor, Sandbox House, Lower Parel, Mumbai, Maharashtra, 400013',
    description: 'A private company, active',
    outcome: 'found: Active (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    cin: 'L36100TG2018PLC654321',
    name: 'ZENITH SEZ EXPORTS LIMITED',
    status: 'Active',
    incorporationDate: '2018-10-01',
    registeredAddress: 'Plot 7, Sandbox SEZ, Hyderabad, Telangana, 500081',
    description: 'A listed public company, active',
    outcome: 'found: Active (ZENITH SEZ EXPORTS LIMITED)',
  },
  {
    cin: 'U51909DL2012PTC000111',
    name: 'OLD LEDGER TRADING PRIVATE LIMITED',
    status: 'Strike Off',
    incorporationDate: '2012-02-20',
    registeredAddress: '12 Sandbox Lane, Karol Bagh, New Delhi, Delhi, 110005',
    description: 'A company struck off the register',
    outcome: 'found: Strike Off (OLD LEDGER TRADING PRIVATE LIMITED)',
  },
  {
    cin: 'U74999KA2020OPC000222',
    name: 'SOLO CONSULTING (OPC) PRIVATE LIMITED',
    status: 'Under Liquidation',
    incorporationDate: '2020-07-07',
    registeredAddress: '3 Sandbox Road, Indiranagar, Bengaluru, Karnataka, 560038',
    description: 'A one-person company under liquidation',
    outcome: 'found: Under Liquidation (SOLO CONSULTING (OPC) PRIVATE LIMITED)',
  },
];

export const LLP_FIXTURES: readonly LlpEntity[] = [
  {
    llpin: 'AAA-1234',
    name: 'ZEN TRADERS LLP',
    status: 'Active',
    incorporationDate: '2019-09-30',
    registeredAddress: '22 Sandbox Market, Chandni Chowk, Delhi, 110006',
    designatedPartners: 2,
    description: 'An LLP, active',
    outcome: 'found: Active (ZEN TRADERS LLP)',
  },
  {
    llpin: 'ABC-0007',
    name: 'CLOSED BOOKS ADVISORS LLP',
    status: 'Strike Off',
    incorporationDate: '2014-04-01',
    registeredAddress: '9 Sandbox Street, Fort, Mumbai, Maharashtra, 400001',
    designatedPartners: 2,
    description: 'An LLP struck off the register',
    outcome: 'found: Strike Off (CLOSED BOOKS ADVISORS LLP)',
  },
];
