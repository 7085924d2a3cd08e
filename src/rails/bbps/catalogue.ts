/**
 * The Bharat Connect (BBPS) biller catalogue of the simulator: categories, billers, the input
 * parameters each biller asks for (`billParams`: `cn` is always the consumer number, reference §4)
 * and the circles it serves. Ids and names are fixtures, not real Bharat Connect biller ids.
 */

/** EnKash `circle` values (reference §4, CONFIRMED list; the split of the run-together text is our reading). */
export const CIRCLES = [
  'AP',
  'AS',
  'MB',
  'BIH',
  'CHE',
  'DEL',
  'GUJ',
  'HAR',
  'HP',
  'JK',
  'KK',
  'KER',
  'KOL',
  'MAH',
  'MP',
  'MUM',
  'NE',
  'ORI',
  'PUN',
  'RAJ',
  'TN',
  'UPE',
  'UPW',
  'WB',
  'ALL',
  'AGRA',
  'AHM',
  'BHIWANDI',
  'SURAT',
  'SHIL',
  'MUMBRA',
  'KALWA',
] as const;
export type Circle = (typeof CIRCLES)[number];

export const BILLER_TYPES = [
  { billerType: 'ELECTRICITY', name: 'Electricity' },
  { billerType: 'WATER', name: 'Water' },
  { billerType: 'GAS', name: 'Piped gas' },
  { billerType: 'BROADBAND', name: 'Broadband postpaid' },
  { billerType: 'MOBILE_POSTPAID', name: 'Mobile postpaid' },
  { billerType: 'DTH', name: 'DTH' },
  { billerType: 'FASTAG', name: 'FASTag recharge' },
  { billerType: 'LPG', name: 'LPG cylinder booking' },
  { billerType: 'INSURANCE', name: 'Insurance premium' },
  { billerType: 'LOAN_EMI', name: 'Loan repayment (EMI)' },
] as const;
export type BillerType = (typeof BILLER_TYPES)[number]['billerType'];

export interface BillInputParam {
  /** The key in `billParams`: `cn`, `ad1`, `ad2`, `ad3`. */
  paramName: 'cn' | 'ad1' | 'ad2' | 'ad3';
  displayName: string;
  regex: string;
  optional: boolean;
}

export interface Biller {
  billerId: number;
  billerName: string;
  billerType: BillerType;
  circles: Circle[];
  billInputParams: BillInputParam[];
  /** MANDATORY: pay only after a fetch; OPTIONAL: fetch or pay direct; NOT_SUPPORTED: pay direct only. */
  fetchRequirement: 'MANDATORY' | 'OPTIONAL' | 'NOT_SUPPORTED';
  /** EXACT: the fetched amount only; EXACT_AND_ABOVE: at least it; ANY: any positive amount. */
  paymentAmountExactness: 'EXACT' | 'EXACT_AND_ABOVE' | 'ANY';
  status: 'ACTIVE' | 'INACTIVE';
}

const ACCOUNT = (displayName: string): BillInputParam => ({ paramName: 'cn', displayName, regex: '^[A-Za-z0-9]{6,20}$', optional: false });
const MOBILE: BillInputParam = { paramName: 'cn', displayName: 'Mobile Number', regex: '^[6-9][0-9]{9}$', optional: false };

export const BILLERS: readonly Biller[] = [
  {
    billerId: 1001,
    billerName: 'Maharashtra State Electricity Distribution (MSEDCL)',
    billerType: 'ELECTRICITY',
    circles: ['MAH', 'MUM'],
    billInputParams: [ACCOUNT('Consumer Number'), { paramName: 'ad1', displayName: 'Billing Unit', regex: '^[0-9]{4}$', optional: true }],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
  {
    billerId: 1002,
    billerName: 'BSES Rajdhani Power',
    billerType: 'ELECTRICITY',
    circles: ['DEL'],
    billInputParams: [ACCOUNT('CA Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
  {
    billerId: 1003,
    billerName: 'Tamil Nadu Electricity Board (TNEB)',
    billerType: 'ELECTRICITY',
    circles: ['TN', 'CHE'],
    billInputParams: [ACCOUNT('Service Number')],
    fetchRequirement: 'OPTIONAL',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 1004,
    billerName: 'Paschim Gujarat Vij (legacy code, withdrawn)',
    billerType: 'ELECTRICITY',
    circles: ['GUJ'],
    billInputParams: [ACCOUNT('Consumer Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT',
    status: 'INACTIVE',
  },
  {
    billerId: 2001,
    billerName: 'Delhi Jal Board',
    billerType: 'WATER',
    circles: ['DEL'],
    billInputParams: [ACCOUNT('K Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
  {
    billerId: 2002,
    billerName: 'Bangalore Water Supply and Sewerage Board',
    billerType: 'WATER',
    circles: ['KK'],
    billInputParams: [ACCOUNT('RR Number')],
    fetchRequirement: 'OPTIONAL',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 3001,
    billerName: 'Mahanagar Gas',
    billerType: 'GAS',
    circles: ['MUM', 'MAH'],
    billInputParams: [ACCOUNT('CA Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
  {
    billerId: 3002,
    billerName: 'Indraprastha Gas',
    billerType: 'GAS',
    circles: ['DEL', 'HAR', 'UPW'],
    billInputParams: [ACCOUNT('BP Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
  {
    billerId: 4001,
    billerName: 'ACT Fibernet',
    billerType: 'BROADBAND',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('Account Number')],
    fetchRequirement: 'OPTIONAL',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 4002,
    billerName: 'Airtel Broadband',
    billerType: 'BROADBAND',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('Landline Number with STD code')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 5001,
    billerName: 'Airtel Postpaid',
    billerType: 'MOBILE_POSTPAID',
    circles: ['ALL'],
    billInputParams: [MOBILE],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 5002,
    billerName: 'Jio Postpaid',
    billerType: 'MOBILE_POSTPAID',
    circles: ['ALL'],
    billInputParams: [MOBILE],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 6001,
    billerName: 'Tata Play',
    billerType: 'DTH',
    circles: ['ALL'],
    billInputParams: [{ paramName: 'cn', displayName: 'Subscriber ID', regex: '^[0-9]{10}$', optional: false }],
    fetchRequirement: 'NOT_SUPPORTED',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 6002,
    billerName: 'Dish TV',
    billerType: 'DTH',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('Registered Mobile or VC Number')],
    fetchRequirement: 'NOT_SUPPORTED',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 7001,
    billerName: 'ICICI Bank FASTag',
    billerType: 'FASTAG',
    circles: ['ALL'],
    billInputParams: [{ paramName: 'cn', displayName: 'Vehicle Registration Number', regex: '^[A-Z0-9]{6,12}$', optional: false }],
    fetchRequirement: 'OPTIONAL',
    paymentAmountExactness: 'ANY',
    status: 'ACTIVE',
  },
  {
    billerId: 8001,
    billerName: 'Indane Gas (IOCL)',
    billerType: 'LPG',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('LPG ID'), { paramName: 'ad1', displayName: 'Registered Mobile Number', regex: '^[6-9][0-9]{9}$', optional: true }],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT',
    status: 'ACTIVE',
  },
  {
    billerId: 9001,
    billerName: 'LIC of India',
    billerType: 'INSURANCE',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('Policy Number'), { paramName: 'ad1', displayName: 'Email ID', regex: '^[^@\\s]+@[^@\\s]+$', optional: true }],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT',
    status: 'ACTIVE',
  },
  {
    billerId: 9101,
    billerName: 'Bajaj Finance Loan EMI',
    billerType: 'LOAN_EMI',
    circles: ['ALL'],
    billInputParams: [ACCOUNT('Loan Account Number')],
    fetchRequirement: 'MANDATORY',
    paymentAmountExactness: 'EXACT_AND_ABOVE',
    status: 'ACTIVE',
  },
];

export function findBiller(billerId: number): Biller | undefined {
  return BILLERS.find((b) => b.billerId === billerId);
}

/** Does the biller serve `circle`? A biller of circle ALL serves every circle; no circle means the biller's own. */
export function servesCircle(biller: Biller, circle: string | undefined): boolean {
  return circle === undefined || biller.circles.includes('ALL') || biller.circles.includes(circle as Circle);
}
