import type { Scenario } from '../scenario.js';
import type { CompanyEntity, LlpEntity, ParsedCin } from './companies.js';
import type { RbiIfsc } from './ifsc-data.js';
import type { AadhaarSeedingStatus, GstinStatus, PanStatus, TaxpayerType } from './test-data.js';

export interface IfscDetails {
  ifsc: string;
  bankCode: string;
  bank: string;
  /** Null when the branch is not one of the fixtures (the bank is known, the branch unnamed). */
  branch: string | null;
  city: string | null;
  state: string | null;
  /** RBI's directory entry (the `ifsc` package); null for a code only the sandbox knows (a fixture branch, or any branch of a listed bank). */
  rbi: RbiIfsc | null;
  /** Whether the branch takes IMPS, NEFT and RTGS: known for the fixture branches only, else null. */
  imps: boolean | null;
  neft: boolean | null;
  rtgs: boolean | null;
}

export interface PanRecord {
  pan: string;
  status: PanStatus;
  name: string;
  holderType: string;
  aadhaarSeedingStatus: AadhaarSeedingStatus;
}

export interface GstinRecord {
  gstin: string;
  status: GstinStatus;
  legalName: string;
  tradeName: string;
  registrationDate: string;
  state: string;
  pan: string;
  constitution: string;
  taxpayerType: TaxpayerType;
  /** The date of the cancellation or suspension; null when Active. */
  statusDate: string | null;
  address: string;
}

/** A company of the MCA master data, with its parsed CIN. */
export type CompanyRecord = Omit<CompanyEntity, 'description' | 'outcome'> & { parsed: ParsedCin };
export type LlpRecord = Omit<LlpEntity, 'description' | 'outcome'>;

/** A registry answer: found, not found, or the registry did not answer (`fail` / `timeout` scenarios). */
export type RegistryAnswer<T> =
  { outcome: 'found'; record: T } | { outcome: 'not_found' } | { outcome: 'unavailable'; reasonCode: string } | { outcome: 'no_answer' };

/**
 * The registries: IFSC (RBI), PAN (Income Tax Department), GSTIN (GSTN), CIN and LLPIN (MCA). Syntax and check digits are
 * verified before the lookup; a malformed value throws invalid_rail_input.
 */
export interface RegistriesRail {
  readonly rail: 'registries';
  lookupIfsc(ifsc: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<IfscDetails>>;
  verifyPan(pan: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<PanRecord>>;
  verifyGstin(gstin: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<GstinRecord>>;
  /** The MCA master data of a company; `now` bounds the year of incorporation. */
  verifyCin(cin: string, options: { now: Date; scenario?: Scenario | undefined }): Promise<RegistryAnswer<CompanyRecord>>;
  verifyLlpin(llpin: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<LlpRecord>>;
}
