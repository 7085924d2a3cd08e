import type { Scenario } from '../../rails/index.js';
import { normalizeGstin, normalizeLlpin, normalizePan, parseCin, type RegistriesRail, type RegistryAnswer } from '../../rails/registries/index.js';
import { maskAadhaar, normalizeAadhaar } from './aadhaar.js';
import type { CheckStatus, CheckType } from './model.js';
import { prepareName } from './name-match.js';

/**
 * Each check type (issue 20 parts 3, 4, 8, 9): how its input is validated and shown, and how its
 * registry answer becomes a status, a result and the name on record. Validation throws
 * invalid_rail_input (400) before any lookup or write.
 */

export interface LookupDeps {
  registries: RegistriesRail;
  scenario: Scenario | undefined;
  now: Date;
  /** The name given to match, if any. */
  name: string | null;
}

/** What a lookup answered: a final status, or PENDING (the registry did not answer). */
export type Outcome =
  | { kind: 'done'; status: Exclude<CheckStatus, 'PENDING'>; result: Record<string, unknown> | null; nameOnRecord: string | null; message: string }
  | { kind: 'pending'; message: string };

export interface CheckSpec {
  type: CheckType;
  /** The normalised input (kept only when it may be: never for Aadhaar) and the text that may be shown. */
  prepare(raw: string, now: Date): { normalised: string; masked: string };
  /** Looks the normalised input up; runs again without a scenario when a PENDING check is retried. */
  lookup(normalised: string, deps: LookupDeps): Promise<Outcome>;
  /**
   * What a retry of a PENDING check looks up, from the text the check kept (`masked`): the
   * normalised input when the kept text is the input, null when it is not (Aadhaar keeps only the
   * masked number). A type that returns null never answers PENDING: there would be nothing to retry with.
   */
  retryInput(kept: string): string | null;
}

/** The kept text is the normalised input: a retry looks it up again. */
export const keptIsInput = (kept: string) => kept;

const UNAVAILABLE = 'The registry is unavailable; try again later with a new referenceId';
const NO_ANSWER = 'The registry has not answered yet; the check ends by itself and a webhook follows';

/** A record found in a registry, judged: in force or not, what the check answers, the name on record. */
interface Judged {
  valid: boolean;
  result: Record<string, unknown>;
  nameOnRecord: string | null;
  message: string;
}

/**
 * A check of one registry: its answers other than "found" are the same for every type (NOT_FOUND,
 * FAILED when unavailable, PENDING when it did not answer); a found record is VALID when in force,
 * else INVALID.
 */
function registryCheck<T>(spec: {
  type: CheckType;
  prepare: CheckSpec['prepare'];
  find: (normalised: string, deps: LookupDeps) => Promise<RegistryAnswer<T>>;
  judge: (record: T, deps: LookupDeps) => Judged;
}): CheckSpec {
  return {
    type: spec.type,
    retryInput: keptIsInput,
    prepare: spec.prepare,
    async lookup(normalised, deps) {
      const answer = await spec.find(normalised, deps);
      switch (answer.outcome) {
        case 'not_found':
          return { kind: 'done', status: 'NOT_FOUND', result: null, nameOnRecord: null, message: `No such ${spec.type} in the registry` };
        case 'unavailable':
          return { kind: 'done', status: 'FAILED', result: { reasonCode: answer.reasonCode }, nameOnRecord: null, message: UNAVAILABLE };
        case 'no_answer':
          return { kind: 'pending', message: NO_ANSWER };
        case 'found': {
          const { valid, ...rest } = spec.judge(answer.record, deps);
          return { kind: 'done', status: valid ? 'VALID' : 'INVALID', ...rest };
        }
      }
    },
  };
}

const same = (raw: string, normalise: (s: string) => string) => {
  const v = normalise(raw);
  return { normalised: v, masked: v };
};

/**
 * The PAN's 5th character is the initial of the surname for an individual (P), else of the name.
 * True or false against the name given; null without a name (or one of honorifics only).
 */
export function panInitialMatches(pan: string, name: string | null): boolean | null {
  if (name === null) return null;
  const tokens = prepareName(name).tokens;
  if (tokens.length === 0) return null;
  const word = pan[3] === 'P' ? tokens[tokens.length - 1]! : tokens[0]!;
  return word[0] === pan[4];
}

export const PAN_CHECK = registryCheck({
  type: 'PAN',
  prepare: (raw) => same(raw, normalizePan),
  find: (pan, { registries, scenario }) => registries.verifyPan(pan, { scenario }),
  judge(r, { name }) {
    const valid = r.status === 'VALID';
    return {
      valid,
      result: {
        pan: r.pan,
        panStatus: r.status,
        registeredName: r.name,
        holderTypeCode: r.pan[3],
        holderType: r.holderType,
        aadhaarSeedingStatus: r.aadhaarSeedingStatus,
        nameInitialMatches: panInitialMatches(r.pan, name),
      },
      nameOnRecord: r.name,
      message: valid ? 'The PAN is valid' : `The PAN is ${r.status.toLowerCase()}`,
    };
  },
});

export const GSTIN_CHECK = registryCheck({
  type: 'GSTIN',
  prepare: (raw) => same(raw, normalizeGstin),
  find: (gstin, { registries, scenario }) => registries.verifyGstin(gstin, { scenario }),
  judge(r) {
    const active = r.status === 'Active';
    return {
      valid: active,
      result: {
        gstin: r.gstin,
        legalName: r.legalName,
        tradeName: r.tradeName,
        status: r.status,
        registrationDate: r.registrationDate,
        statusDate: r.statusDate,
        address: r.address,
        stateCode: r.gstin.slice(0, 2),
        state: r.state,
        pan: r.pan,
        constitution: r.constitution,
        taxpayerType: r.taxpayerType,
      },
      nameOnRecord: r.legalName,
      message: active ? 'The GSTIN is active' : `The GSTIN is ${r.status.toLowerCase()}`,
    };
  },
});

export const AADHAAR_CHECK: CheckSpec = {
  type: 'AADHAAR',
  // Only the masked number is kept (and a keyed hash): a retry could not look the number up.
  retryInput: () => null,
  prepare(raw) {
    const aadhaar = normalizeAadhaar(raw);
    return { normalised: aadhaar, masked: maskAadhaar(aadhaar) };
  },
  // No e-KYC: the format and the Verhoeff digit were checked by prepare; only the masked number is answered.
  async lookup(aadhaar) {
    return {
      kind: 'done',
      status: 'VALID',
      result: { maskedAadhaar: maskAadhaar(aadhaar), checkDigit: 'VALID' },
      nameOnRecord: null,
      message: 'The Aadhaar number is well formed and its check digit is valid',
    };
  },
};

export const CIN_CHECK = registryCheck({
  type: 'CIN',
  prepare: (raw, now) => same(raw, (v) => parseCin(v, now).cin),
  find: (cin, { registries, scenario, now }) => registries.verifyCin(cin, { now, scenario }),
  judge(r) {
    const active = r.status === 'Active';
    const { cin: _cin, ...parsed } = r.parsed;
    return {
      valid: active,
      result: {
        cin: r.cin,
        companyName: r.name,
        companyStatus: r.status,
        incorporationDate: r.incorporationDate,
        registeredAddress: r.registeredAddress,
        ...parsed,
      },
      nameOnRecord: r.name,
      message: active ? 'The company is active' : `The company's status is ${r.status}`,
    };
  },
});

export const LLPIN_CHECK = registryCheck({
  type: 'LLPIN',
  prepare: (raw) => same(raw, normalizeLlpin),
  find: (llpin, { registries, scenario }) => registries.verifyLlpin(llpin, { scenario }),
  judge(r) {
    const active = r.status === 'Active';
    return {
      valid: active,
      result: {
        llpin: r.llpin,
        llpName: r.name,
        llpStatus: r.status,
        incorporationDate: r.incorporationDate,
        registeredAddress: r.registeredAddress,
        designatedPartners: r.designatedPartners,
      },
      nameOnRecord: r.name,
      message: active ? 'The LLP is active' : `The LLP's status is ${r.status}`,
    };
  },
});

export type RegistryCheckType = Exclude<CheckType, 'NAME_MATCH' | 'BANK_ACCOUNT' | 'VPA' | 'BANK_ACCOUNT_REVERSE'>;

export const CHECK_SPECS: Record<RegistryCheckType, CheckSpec> = {
  PAN: PAN_CHECK,
  GSTIN: GSTIN_CHECK,
  AADHAAR: AADHAAR_CHECK,
  CIN: CIN_CHECK,
  LLPIN: LLPIN_CHECK,
};
