import { Type } from 'typebox';
import { defineEvent } from '../../../core/events/index.js';
import { bulkJobPayload } from './schemas.js';

/** Sent when every row of a bulk job has ended (published in the transaction that ends its last row). */
export const VERIFICATION_BULK_COMPLETED = defineEvent({
  type: 'VERIFICATION_BULK_COMPLETED',
  description:
    'A bulk verification job ended its last row (COMPLETED); the body is the job as GET answers it. The rows are in GET /api/v0/verification/bulk/{jobId}/result. A cancelled job sends none.',
  payload: Type.Object({ event: Type.Literal('VERIFICATION_BULK_COMPLETED'), ...bulkJobPayload.properties }),
  example: {
    event: 'VERIFICATION_BULK_COMPLETED',
    jobId: 'VBJ01JDQ3Z6V0C8Q9Y4N6H2T5R7KX',
    referenceId: 'KYC-BATCH-0001',
    checkType: 'PAN',
    status: 'COMPLETED',
    rowsTotal: 3,
    rowsDone: 3,
    rowsFailed: 1,
    purpose: 'Vendor onboarding',
    createdOn: '2026-11-27T10:07:00.000Z',
    startedOn: '2026-11-27T10:07:00.000Z',
    completedOn: '2026-11-27T10:07:01.000Z',
  },
});
