export type { RegistriesRail, RegistryAnswer, IfscDetails, PanRecord, GstinRecord, CompanyRecord, LlpRecord } from './rail.js';
export { CIN_PATTERN, LLPIN_PATTERN, CIN_TYPES, parseCin, normalizeLlpin, type ParsedCin } from './companies.js';
export { RegistriesSimulator } from './simulator.js';
export { gstinCheckCharacter, normalizeGstin, normalizeIfsc, normalizePan, IFSC_PATTERN, PAN_PATTERN, GSTIN_PATTERN } from './rules.js';
export { registriesTestData, IFSC_BANKS, IFSC_BRANCHES, PAN_FIXTURES, GSTIN_FIXTURES } from './test-data.js';
export { BANK_ACCOUNT_FIXTURES, bankAccountHolder, type BankAccountRecord, type BankAccountStatus } from './bank-accounts.js';
export { IFSC_DATA_VERSION, rbiIfsc, isRbiIfsc, allRbiIfscs, type RbiIfsc, type RbiBank } from './ifsc-data.js';
