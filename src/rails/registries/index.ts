export type { RegistriesRail, RegistryAnswer, IfscDetails, PanRecord, GstinRecord } from './rail.js';
export { RegistriesSimulator } from './simulator.js';
export { gstinCheckCharacter, normalizeGstin, normalizeIfsc, normalizePan, IFSC_PATTERN, PAN_PATTERN, GSTIN_PATTERN } from './rules.js';
export { registriesTestData, IFSC_BANKS, PAN_FIXTURES, GSTIN_FIXTURES } from './test-data.js';
