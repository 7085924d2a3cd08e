import type { Scenario } from '../scenario.js';
import type { GstinStatus, PanStatus } from './test-data.js';

export interface IfscDetails {
  ifsc: string;
  bankCode: string;
  bank: string;
  /** Null when the branch is not one of the fixtures (the bank is known, the branch unnamed). */
  branch: string | null;
  city: string | null;
  state: string | null;
}

export interface PanRecord {
  pan: string;
  status: PanStatus;
  name: string;
  holderType: string;
}

export interface GstinRecord {
  gstin: string;
  status: GstinStatus;
  legalName: string;
  tradeName: string;
  registrationDate: string;
  state: string;
  pan: string;
}

/** A registry answer: found, not found, or the registry did not answer (`fail` / `timeout` scenarios). */
export type RegistryAnswer<T> =
  { outcome: 'found'; record: T } | { outcome: 'not_found' } | { outcome: 'unavailable'; reasonCode: string } | { outcome: 'no_answer' };

/**
 * The registries: IFSC (RBI), PAN (Income Tax Department), GSTIN (GSTN). Syntax and check digits are
 * verified before the lookup; a malformed value throws invalid_rail_input.
 */
export interface RegistriesRail {
  readonly rail: 'registries';
  lookupIfsc(ifsc: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<IfscDetails>>;
  verifyPan(pan: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<PanRecord>>;
  verifyGstin(gstin: string, options?: { scenario?: Scenario | undefined }): Promise<RegistryAnswer<GstinRecord>>;
}
