/**
 * The verification suite (issue 20; docs/api/verification.md; ADR 0041): PAN, GSTIN, Aadhaar,
 * CIN, LLPIN, VPA, bank-account penny drops (and reverse, through the gateway), IFSC lookups (RBI's directory) and name
 * matching against the sandbox registries, each check recorded with its consent.
 */
export { registerVerificationRoutes } from './routes.js';
export { createVerificationService, type VerificationService, type VerificationDeps } from './service.js';
export { VERIFICATION_EVENTS } from './events.js';
export { verificationTestData } from './test-data.js';
export { createBulkService, type BulkService } from './bulk/service.js';
export { registerBulkRoutes } from './bulk/routes.js';
