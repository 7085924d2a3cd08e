import type { Scenario } from '../../rails/index.js';
import type { NameMatchResult, NameThresholds } from './name-match.js';

export const CHECK_TYPES = ['PAN', 'GSTIN', 'AADHAAR', 'CIN', 'LLPIN', 'NAME_MATCH', 'BANK_ACCOUNT', 'VPA', 'BANK_ACCOUNT_REVERSE'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];
export const CHECK_STATUSES = ['VALID', 'INVALID', 'NOT_FOUND', 'PENDING', 'FAILED'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** How long a registry that did not answer (scenario `timeout`) takes to answer, on the company's sandbox clock. */
export const PENDING_RETRY_SECONDS = 60;

/** The version of the sandbox's registry fixtures, named on every answer built from them. */
export const REGISTRY_DATA_VERSION = 'tijori-sandbox-registries-2026.12';

/** The consent wording recorded with a check whose request sent no `consentText` (docs/api/verification.md, ADR 0044). */
export const DEFAULT_CONSENT_TEXT =
  'I consent to the verification of the details I have provided against the issuing registry, for the purpose stated, and to the record of this check being kept.';

/** Days a check's result is kept when the company has set no `resultRetentionDays` (ADR 0044). */
export const DEFAULT_RESULT_RETENTION_DAYS = 180;

/** The `nameMatch` block of an answer: the name given, the name on record, the score, band and breakdown. */
export interface NameMatchBlock {
  nameGiven: string;
  nameOnRecord: string;
  score: number;
  band: NameMatchResult['band'];
  thresholds: NameThresholds;
  breakdown: NameMatchResult['breakdown'];
}

export interface VerificationCheck {
  id: string;
  companyId: string;
  referenceId: string;
  checkType: CheckType;
  status: CheckStatus;
  inputMasked: string;
  inputHash: string;
  name: string | null;
  result: Record<string, unknown> | null;
  nameMatch: NameMatchBlock | null;
  message: string;
  consentPurpose: string;
  consentText: string | null;
  requestedBy: string;
  requestIp: string | null;
  dataVersion: string;
  createdAt: Date;
  completedAt: Date | null;
  /** When the result columns were purged after the retention period (ADR 0044); null until then. */
  purgedAt: Date | null;
}

/** Who asked, with which consent: recorded with every check (issue 20 parts 1 and 12). */
export interface CheckRequest {
  companyId: string;
  referenceId: string;
  consent: { purpose: string; text: string | null };
  requestedBy: string;
  requestIp: string | null;
  /** The X-Tijori-Scenario header, parsed. */
  scenario: Scenario | undefined;
}
