import { Type } from 'typebox';
import { defineEvent, type EventDefinition } from '../../core/events/index.js';
import { VERIFICATION_BULK_COMPLETED } from './bulk/events.js';
import { checkPayload } from './schemas.js';

/** Sent when a check that answered PENDING (the registry did not answer) ends. */
export const VERIFICATION_COMPLETED = defineEvent({
  type: 'VERIFICATION_COMPLETED',
  description: 'A verification check that answered PENDING ended (VALID, INVALID, NOT_FOUND or FAILED); the body is the check as GET answers it.',
  payload: Type.Object({ event: Type.Literal('VERIFICATION_COMPLETED'), ...checkPayload.properties }),
  example: {
    event: 'VERIFICATION_COMPLETED',
    verificationId: 'VRF01JDQ3Z6V0C8Q9Y4N6H2T5R7KX',
    referenceId: 'KYC-2026-0001',
    checkType: 'GSTIN',
    status: 'VALID',
    message: 'The GSTIN is active',
    input: '27AABCT1234E1ZS',
    result: { gstin: '27AABCT1234E1ZS', legalName: 'TIJORI TEST PRIVATE LIMITED', status: 'Active' },
    nameMatch: null,
    purpose: 'Vendor onboarding',
    dataVersion: 'tijori-sandbox-registries-2026.12',
    createdOn: '2026-11-27T10:07:00.000Z',
    completedOn: '2026-11-27T10:08:00.000Z',
    purgedOn: null,
  },
});

/** Appended to EVENT_DEFINITIONS in app.ts. */
export const VERIFICATION_EVENTS: EventDefinition[] = [VERIFICATION_COMPLETED, VERIFICATION_BULK_COMPLETED];
