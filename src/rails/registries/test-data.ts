import type { RailTestData } from '../test-data.js';
import { BANK_ACCOUNT_FIXTURES } from './bank-accounts.js';
import { COMPANY_FIXTURES, LLP_FIXTURES } from './companies.js';

/** Real IFSC bank prefixes (RBI) with the banks' names. */
export const IFSC_BANKS: Record<string, string> = {
  SBIN: 'State Bank of India',
  HDFC: 'HDFC Bank',
  ICIC: 'ICICI Bank',
  UTIB: 'Axis Bank',
  KKBK: 'Kotak Mahindra Bank',
  PUNB: 'Punjab National Bank',
  BARB: 'Bank of Baroda',
  CNRB: 'Canara Bank',
  UBIN: 'Union Bank of India',
  IDIB: 'Indian Bank',
  BKID: 'Bank of India',
  IOBA: 'Indian Overseas Bank',
  CBIN: 'Central Bank of India',
  MAHB: 'Bank of Maharashtra',
  UCBA: 'UCO Bank',
  PSIB: 'Punjab & Sind Bank',
  YESB: 'Yes Bank',
  INDB: 'IndusInd Bank',
  IDFB: 'IDFC First Bank',
  FDRL: 'Federal Bank',
  RATN: 'RBL Bank',
  KARB: 'Karnataka Bank',
  KVBL: 'Karur Vysya Bank',
  SIBL: 'South Indian Bank',
  AUBL: 'AU Small Finance Bank',
  DBSS: 'DBS Bank India',
  SCBL: 'Standard Chartered Bank',
  CITI: 'Citibank',
  HSBC: 'HSBC',
  AIRP: 'Airtel Payments Bank',
};

export interface IfscBranch {
  ifsc: string;
  branch: string;
  city: string;
  state: string;
  imps: boolean;
  neft: boolean;
  rtgs: boolean;
}

const ALL_RAILS = { imps: true, neft: true, rtgs: true };

/** Branches the lookup names; they are sandbox fixtures, not RBI's branch register. */
export const IFSC_BRANCHES: readonly IfscBranch[] = [
  { ifsc: 'SBIN0000001', branch: 'Kolkata Main', city: 'Kolkata', state: 'West Bengal', ...ALL_RAILS },
  { ifsc: 'HDFC0000001', branch: 'Sandbox Branch, Lower Parel', city: 'Mumbai', state: 'Maharashtra', ...ALL_RAILS },
  { ifsc: 'ICIC0000001', branch: 'Sandbox Branch, Bandra Kurla Complex', city: 'Mumbai', state: 'Maharashtra', ...ALL_RAILS },
  { ifsc: 'UTIB0000001', branch: 'Sandbox Branch, Ahmedabad', city: 'Ahmedabad', state: 'Gujarat', ...ALL_RAILS },
  { ifsc: 'KKBK0000001', branch: 'Sandbox Branch, Nariman Point', city: 'Mumbai', state: 'Maharashtra', ...ALL_RAILS },
  { ifsc: 'YESB0000001', branch: 'Sandbox Branch, Santacruz', city: 'Mumbai', state: 'Maharashtra', ...ALL_RAILS },
  { ifsc: 'PUNB0000100', branch: 'Sandbox Branch, Connaught Place', city: 'New Delhi', state: 'Delhi', ...ALL_RAILS },
  { ifsc: 'CNRB0000001', branch: 'Sandbox Branch, MG Road', city: 'Bengaluru', state: 'Karnataka', ...ALL_RAILS },
  { ifsc: 'AIRP0000001', branch: 'Sandbox Banking Point, Gurugram', city: 'Gurugram', state: 'Haryana', imps: true, neft: true, rtgs: false },
];

/** A branch code that exists at no bank: any known bank prefix followed by 0999999. */
export const MISSING_BRANCH_SUFFIX = '999999';

export type PanStatus = 'VALID' | 'INOPERATIVE' | 'DELETED' | 'DEACTIVATED';
/** Whether the PAN is linked to an Aadhaar: Y, N, or NA (not applicable: a holder other than an individual). */
export type AadhaarSeedingStatus = 'Y' | 'N' | 'NA';

export interface PanEntity {
  pan: string;
  /** Null: no such PAN in the registry. */
  status: PanStatus | null;
  name: string | null;
  /** When absent: Y for an individual (P), NA for other holders. */
  aadhaarSeedingStatus?: AadhaarSeedingStatus;
  description: string;
  outcome: string;
}

export const PAN_FIXTURES: readonly PanEntity[] = [
  { pan: 'AAAPZ1234C', status: 'VALID', name: 'ASHA ZAVERI', description: 'An individual, active', outcome: 'found: VALID (ASHA ZAVERI)' },
  {
    pan: 'AABCT1234E',
    status: 'VALID',
    name: 'TIJORI TEST PRIVATE LIMITED',
    description: 'A company, active',
    outcome: 'found: VALID (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    pan: 'AAAPI5678K',
    status: 'INOPERATIVE',
    name: 'IMRAN INAMDAR',
    aadhaarSeedingStatus: 'N',
    description: 'An individual whose PAN is inoperative (not linked to Aadhaar)',
    outcome: 'found: INOPERATIVE (IMRAN INAMDAR)',
  },
  { pan: 'AAAPD0000X', status: 'DELETED', name: 'DEEPA DESAI', description: 'A cancelled (deleted) PAN', outcome: 'found: DELETED (DEEPA DESAI)' },
  {
    pan: 'AAAPV4321R',
    status: 'DEACTIVATED',
    name: 'VIKRAM VERMA',
    description: 'A deactivated PAN (a duplicate of another PAN of the holder)',
    outcome: 'found: DEACTIVATED (VIKRAM VERMA)',
  },
  {
    pan: 'AAJPS2345Q',
    status: 'VALID',
    name: 'RAVI KUMAR SHARMA',
    description: 'An individual, active, linked to Aadhaar (name-matching examples use it)',
    outcome: 'found: VALID (RAVI KUMAR SHARMA)',
  },
  { pan: 'ZZZPZ9999Z', status: null, name: null, description: 'Well formed, but no such PAN', outcome: 'not found' },
];

export type GstinStatus = 'Active' | 'Cancelled' | 'Suspended';
export type TaxpayerType = 'Regular' | 'Composition' | 'SEZ Unit';

export interface GstinEntity {
  gstin: string;
  status: GstinStatus | null;
  legalName: string | null;
  tradeName: string | null;
  registrationDate: string | null;
  /** When absent: from the PAN's holder type (C Private Limited Company, F Partnership, P Proprietorship…). */
  constitution?: string;
  /** When absent: Regular. */
  taxpayerType?: TaxpayerType;
  /** The date of the cancellation or suspension. */
  statusDate?: string;
  /** When absent: the state's name. */
  address?: string;
  description: string;
  outcome: string;
}

/** GSTINs with valid check characters; each embeds a PAN of the fixtures above (or a well-formed one). */
export const GSTIN_FIXTURES: readonly GstinEntity[] = [
  {
    gstin: '27AABCT1234E1ZS',
    status: 'Active',
    legalName: 'TIJORI TEST PRIVATE LIMITED',
    tradeName: 'TIJORI',
    registrationDate: '2017-07-01',
    address: '4th Floor, Sandbox House, Lower Parel, Mumbai, Maharashtra, 400013',
    description: 'Maharashtra, active',
    outcome: 'found: Active (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    gstin: '29AABCT1234E1ZO',
    status: 'Cancelled',
    legalName: 'TIJORI TEST PRIVATE LIMITED',
    tradeName: 'TIJORI BENGALURU',
    registrationDate: '2018-04-01',
    statusDate: '2023-03-31',
    description: 'Karnataka, registration cancelled',
    outcome: 'found: Cancelled (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    gstin: '07AAAFZ4321L1Z2',
    status: 'Suspended',
    legalName: 'ZEN TRADERS LLP',
    tradeName: 'ZEN TRADERS',
    registrationDate: '2019-10-15',
    constitution: 'Limited Liability Partnership',
    statusDate: '2024-08-01',
    description: 'Delhi, registration suspended',
    outcome: 'found: Suspended (ZEN TRADERS LLP)',
  },
  {
    gstin: '33AAAPZ1234C1Z7',
    status: 'Active',
    legalName: 'ASHA ZAVERI',
    tradeName: 'ZAVERI STORES',
    registrationDate: '2020-01-20',
    taxpayerType: 'Composition',
    description: 'Tamil Nadu, a proprietor under the composition scheme',
    outcome: 'found: Active (ASHA ZAVERI)',
  },
  {
    gstin: '36AAACZ5678M1ZJ',
    status: 'Active',
    legalName: 'ZENITH SEZ EXPORTS LIMITED',
    tradeName: 'ZENITH EXPORTS',
    registrationDate: '2018-11-05',
    constitution: 'Public Limited Company',
    taxpayerType: 'SEZ Unit',
    description: 'Telangana, an SEZ unit',
    outcome: 'found: Active (ZENITH SEZ EXPORTS LIMITED)',
  },
  {
    gstin: '24AABCN0000N1ZZ',
    status: null,
    legalName: null,
    tradeName: null,
    registrationDate: null,
    description: 'Well formed with a valid check character, but not registered',
    outcome: 'not found',
  },
];

export const registriesTestData: RailTestData = {
  rail: 'registries',
  title: 'Registries (IFSC, PAN, GSTIN, CIN, LLPIN, bank-account holders)',
  summary: 'IFSC lookup, and PAN and GSTIN verification: syntax and check digits first, then the fixture registry.',
  scenarios: ['succeed', 'fail', 'timeout'],
  defaultOutcome:
    'an IFSC in RBI\'s directory (the `ifsc` package) or of a listed bank is found (branch named when it is a fixture); a well-formed PAN is VALID ("SANDBOX PAN HOLDER"); a GSTIN with a valid check character is Active ("SANDBOX TAXPAYER")',
  rules: [
    `IFSC: 4 letters, \`0\`, 6 letters or digits; the first four are the bank: ${Object.entries(IFSC_BANKS)
      .map(([code, name]) => `\`${code}\` ${name}`)
      .join(', ')}.`,
    "IFSC existence: RBI's directory as the `ifsc` npm package ships it (about 177,000 codes of some 1,300 banks; bank name, MICR, UPI and NACH flags, sublets); a code outside it is still found at a listed bank above (any branch but `999999`) or as a fixture branch. Branch, city and IMPS/NEFT/RTGS are known for the fixture branches only.",
    "PAN: 5 letters (the 4th is the holder type P, C, H, F, A, T, B, L, J or G), 4 digits, 1 letter. Its check letter's algorithm is not published, so it is not verified.",
    'GSTIN: 2-digit state code, the PAN, an entity number (1–9, A–Z), `Z`, and a check character (Luhn mod 36 over the first 14 characters); a wrong check character is `invalid_rail_input`.',
    'CIN: `L`/`U` (listed or not), a 5-digit NIC industry code, a 2-letter state, the year of incorporation (not in the future), a 3-letter type (PLC, PTC, OPC, GOI…), a 6-digit number; LLPIN: 3 letters, `-`, 4 digits. A well-formed CIN or LLPIN not in the fixtures is not found.',
    'Scenarios: `fail` answers the registry as unavailable; `timeout` as not answering.',
  ],
  magicValues: [
    { kind: 'ifsc', value: 'SBIN0000001', operation: 'lookupIfsc', outcome: 'found: State Bank of India, Kolkata Main', description: 'A fixture branch' },
    { kind: 'ifsc', value: `HDFC0${MISSING_BRANCH_SUFFIX}`, operation: 'lookupIfsc', outcome: 'not found', description: 'A known bank, no such branch' },
    { kind: 'ifsc', value: 'ZZZZ0000001', operation: 'lookupIfsc', outcome: 'not found', description: 'No such bank' },
    {
      kind: 'ifsc',
      value: 'AIRP0000001',
      operation: 'lookupIfsc',
      outcome: 'found: Airtel Payments Bank, Sandbox Banking Point, Gurugram',
      description: 'A fixture branch without RTGS',
    },
    {
      kind: 'ifsc',
      value: 'ABHY0065001',
      operation: 'lookupIfsc',
      outcome: 'found: Abhyudaya Co-operative Bank',
      description: "A bank of RBI's directory, branch unnamed",
    },
    {
      kind: 'ifsc',
      value: 'APBL0001001',
      operation: 'lookupIfsc',
      outcome: 'found: District Co-operative Central Bank Srikakul',
      description: 'A sublet: the Andhra Pradesh State Co-operative Bank code used by a district bank',
    },
    ...PAN_FIXTURES.map((p) => ({ kind: 'pan', value: p.pan, operation: 'verifyPan', outcome: p.outcome, description: p.description })),
    ...GSTIN_FIXTURES.map((g) => ({ kind: 'gstin', value: g.gstin, operation: 'verifyGstin', outcome: g.outcome, description: g.description })),
    ...COMPANY_FIXTURES.map((c) => ({ kind: 'cin', value: c.cin, operation: 'verifyCin', outcome: c.outcome, description: c.description })),
    ...LLP_FIXTURES.map((l) => ({ kind: 'llpin', value: l.llpin, operation: 'verifyLlpin', outcome: l.outcome, description: l.description })),
    ...BANK_ACCOUNT_FIXTURES.map((a) => ({
      kind: 'account number',
      value: a.accountNumber,
      operation: 'bankAccountHolder',
      outcome: a.outcome,
      description: a.description,
    })),
  ],
};
