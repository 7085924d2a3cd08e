import type { RailTestData } from '../test-data.js';

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
}

/** Branches the lookup names; they are sandbox fixtures, not RBI's branch register. */
export const IFSC_BRANCHES: readonly IfscBranch[] = [
  { ifsc: 'SBIN0000001', branch: 'Kolkata Main', city: 'Kolkata', state: 'West Bengal' },
  { ifsc: 'HDFC0000001', branch: 'Sandbox Branch, Lower Parel', city: 'Mumbai', state: 'Maharashtra' },
  { ifsc: 'ICIC0000001', branch: 'Sandbox Branch, Bandra Kurla Complex', city: 'Mumbai', state: 'Maharashtra' },
  { ifsc: 'UTIB0000001', branch: 'Sandbox Branch, Ahmedabad', city: 'Ahmedabad', state: 'Gujarat' },
  { ifsc: 'KKBK0000001', branch: 'Sandbox Branch, Nariman Point', city: 'Mumbai', state: 'Maharashtra' },
  { ifsc: 'YESB0000001', branch: 'Sandbox Branch, Santacruz', city: 'Mumbai', state: 'Maharashtra' },
  { ifsc: 'PUNB0000100', branch: 'Sandbox Branch, Connaught Place', city: 'New Delhi', state: 'Delhi' },
  { ifsc: 'CNRB0000001', branch: 'Sandbox Branch, MG Road', city: 'Bengaluru', state: 'Karnataka' },
];

/** A branch code that exists at no bank: any known bank prefix followed by 0999999. */
export const MISSING_BRANCH_SUFFIX = '999999';

export type PanStatus = 'VALID' | 'INOPERATIVE' | 'DELETED';

export interface PanEntity {
  pan: string;
  /** Null: no such PAN in the registry. */
  status: PanStatus | null;
  name: string | null;
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
    description: 'An individual whose PAN is inoperative (not linked to Aadhaar)',
    outcome: 'found: INOPERATIVE (IMRAN INAMDAR)',
  },
  { pan: 'AAAPD0000X', status: 'DELETED', name: 'DEEPA DESAI', description: 'A cancelled (deleted) PAN', outcome: 'found: DELETED (DEEPA DESAI)' },
  { pan: 'ZZZPZ9999Z', status: null, name: null, description: 'Well formed, but no such PAN', outcome: 'not found' },
];

export type GstinStatus = 'Active' | 'Cancelled' | 'Suspended';

export interface GstinEntity {
  gstin: string;
  status: GstinStatus | null;
  legalName: string | null;
  tradeName: string | null;
  registrationDate: string | null;
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
    description: 'Maharashtra, active',
    outcome: 'found: Active (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    gstin: '29AABCT1234E1ZO',
    status: 'Cancelled',
    legalName: 'TIJORI TEST PRIVATE LIMITED',
    tradeName: 'TIJORI BENGALURU',
    registrationDate: '2018-04-01',
    description: 'Karnataka, registration cancelled',
    outcome: 'found: Cancelled (TIJORI TEST PRIVATE LIMITED)',
  },
  {
    gstin: '07AAAFZ4321L1Z2',
    status: 'Suspended',
    legalName: 'ZEN TRADERS LLP',
    tradeName: 'ZEN TRADERS',
    registrationDate: '2019-10-15',
    description: 'Delhi, registration suspended',
    outcome: 'found: Suspended (ZEN TRADERS LLP)',
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
  title: 'Registries (IFSC, PAN, GSTIN)',
  summary: 'IFSC lookup, and PAN and GSTIN verification: syntax and check digits first, then the fixture registry.',
  scenarios: ['succeed', 'fail', 'timeout'],
  defaultOutcome:
    'an IFSC of a listed bank is found (branch named when it is a fixture); a well-formed PAN is VALID ("SANDBOX PAN HOLDER"); a GSTIN with a valid check character is Active ("SANDBOX TAXPAYER")',
  rules: [
    `IFSC: 4 letters, \`0\`, 6 letters or digits; the first four are the bank: ${Object.entries(IFSC_BANKS)
      .map(([code, name]) => `\`${code}\` ${name}`)
      .join(', ')}.`,
    "PAN: 5 letters (the 4th is the holder type P, C, H, F, A, T, B, L, J or G), 4 digits, 1 letter. Its check letter's algorithm is not published, so it is not verified.",
    'GSTIN: 2-digit state code, the PAN, an entity number (1–9, A–Z), `Z`, and a check character (Luhn mod 36 over the first 14 characters); a wrong check character is `invalid_rail_input`.',
    'Scenarios: `fail` answers the registry as unavailable; `timeout` as not answering.',
  ],
  magicValues: [
    { kind: 'ifsc', value: 'SBIN0000001', operation: 'lookupIfsc', outcome: 'found: State Bank of India, Kolkata Main', description: 'A fixture branch' },
    { kind: 'ifsc', value: `HDFC0${MISSING_BRANCH_SUFFIX}`, operation: 'lookupIfsc', outcome: 'not found', description: 'A known bank, no such branch' },
    { kind: 'ifsc', value: 'ZZZZ0000001', operation: 'lookupIfsc', outcome: 'not found', description: 'No such bank' },
    ...PAN_FIXTURES.map((p) => ({ kind: 'pan', value: p.pan, operation: 'verifyPan', outcome: p.outcome, description: p.description })),
    ...GSTIN_FIXTURES.map((g) => ({ kind: 'gstin', value: g.gstin, operation: 'verifyGstin', outcome: g.outcome, description: g.description })),
  ],
};
