import { createRequire } from 'node:module';

/**
 * RBI's IFSC directory as the `ifsc` npm package (Razorpay, MIT) ships it: ~177,000 codes by bank,
 * the banks' names, MICR, IIN, type and UPI/ACH/APBS/NACH flags, and sublets (a code a bank lets
 * another bank use). Its JSON files are read directly, once, on the first lookup (1.4 MB of
 * JSON; measured: about 60 ms, 7.6 MB of heap and 12 MB of RSS, nothing at start-up); its `fetchDetails` (a web API) is never called.
 * The package has no branch names or addresses, and no IMPS/NEFT/RTGS flags.
 */

const require = createRequire(import.meta.url);

interface PackageBank {
  code: string;
  ifsc?: string;
  micr?: string | null;
  iin?: string | null;
  ach_credit?: boolean;
  ach_debit?: boolean;
  apbs?: boolean;
  nach_debit?: boolean;
  type?: string;
  upi?: boolean;
}

/** What the directory knows of a bank. */
export interface RbiBank {
  /** The bank's own code: the IFSC's first four letters, or the sublet member's code. */
  code: string;
  /** Null for the 15 codes the package names no bank for. */
  name: string | null;
  iin: string | null;
  /** RBI's category: PSB, Private, Foreign, SFB, PB, DCCB, O-UCB, S-UCB, RRB… */
  type: string | null;
  upi: boolean | null;
  achCredit: boolean | null;
  achDebit: boolean | null;
  apbs: boolean | null;
  nachDebit: boolean | null;
}

/** An IFSC found in the directory: the bank whose prefix it carries and, for a sublet, the bank that uses it. */
export interface RbiIfsc {
  ifsc: string;
  /** The bank that answers for the code: the sublet member when there is one, else the prefix's bank. */
  bank: RbiBank;
  /** The prefix's bank code when the code is sublet to another bank, else null. */
  subletOf: string | null;
  /** The package names one MICR per bank, of one of its codes: known for that code only, else null. */
  micr: string | null;
}

/** The version of the directory: the `ifsc` package's, named on every answer built from it. */
export const IFSC_DATA_VERSION = `ifsc@${(require('ifsc/package.json') as { version: string }).version}`;

interface Directory {
  codes: Map<string, Set<number | string>>;
  names: Record<string, string>;
  banks: Record<string, PackageBank>;
  sublets: Record<string, string>;
  customSublets: [string, string][];
}

let directory: Directory | undefined;

function load(): Directory {
  if (directory) return directory;
  const raw = require('ifsc/src/IFSC.json') as Record<string, (number | string)[]>;
  const codes = new Map<string, Set<number | string>>();
  for (const [bank, branches] of Object.entries(raw)) codes.set(bank, new Set(branches));
  directory = {
    codes,
    names: require('ifsc/src/banknames.json') as Record<string, string>,
    banks: require('ifsc/src/banks.json') as Record<string, PackageBank>,
    sublets: require('ifsc/src/sublet.json') as Record<string, string>,
    customSublets: Object.entries(require('ifsc/src/custom-sublets.json') as Record<string, string>),
  };
  return directory;
}

/** Whether an upper-case, well-formed IFSC is in the directory (numeric branch codes are stored as numbers, as the package's own validator reads them). */
export function isRbiIfsc(ifsc: string): boolean {
  const branches = load().codes.get(ifsc.slice(0, 4));
  if (!branches) return false;
  const branch = ifsc.slice(5);
  return branches.has(/^[0-9]+$/.test(branch) ? Number(branch) : branch);
}

/** Whether the directory has any code of this bank prefix. */
export function isRbiBank(bankCode: string): boolean {
  return load().codes.has(bankCode);
}

function bankOf(code: string): RbiBank {
  const d = load();
  const b = d.banks[code];
  return {
    code,
    name: d.names[code] ?? null,
    iin: b?.iin ?? null,
    type: b?.type ?? null,
    upi: b ? (b.upi ?? false) : null,
    achCredit: b?.ach_credit ?? null,
    achDebit: b?.ach_debit ?? null,
    apbs: b?.apbs ?? null,
    nachDebit: b?.nach_debit ?? null,
  };
}

/** The directory's entry for an upper-case, well-formed IFSC, or null when it is not listed. */
export function rbiIfsc(ifsc: string): RbiIfsc | null {
  if (!isRbiIfsc(ifsc)) return null;
  const d = load();
  const prefix = ifsc.slice(0, 4);
  const member = d.sublets[ifsc] ?? d.customSublets.find(([start]) => ifsc.startsWith(start))?.[1];
  const sublet = member !== undefined && member !== prefix;
  const code = sublet ? member : prefix;
  const entry = d.banks[code];
  return { ifsc, bank: bankOf(code), subletOf: sublet ? prefix : null, micr: entry?.ifsc === ifsc ? (entry.micr ?? null) : null };
}

/** Every code of the directory (for tests: ~177,000 strings). */
export function* allRbiIfscs(): Generator<string> {
  for (const [bank, branches] of load().codes) {
    for (const b of branches) yield `${bank}0${typeof b === 'number' ? String(b).padStart(6, '0') : b}`;
  }
}
