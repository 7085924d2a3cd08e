import { Type, type Static } from 'typebox';
import { envelopeSchema } from '../../../core/http/envelope.js';
import { BULK_CHECK_TYPES } from './rows.js';

/** Route schemas of bulk verification jobs (docs/api/verification.md "Bulk jobs"). */

const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED'] as const;

export const bulkQuery = Type.Object(
  {
    checkType: Type.Unsafe<(typeof BULK_CHECK_TYPES)[number]>({ type: 'string', enum: [...BULK_CHECK_TYPES], description: 'The check every row runs' }),
    referenceId: Type.String({
      minLength: 1,
      maxLength: 58,
      pattern: '^[A-Za-z0-9._:-]+$',
      description:
        "Your job's reference, unique per company: the same file again replays the job. Row n's check is `<referenceId>-<n>` unless the CSV has a referenceId column",
      examples: ['KYC-BATCH-0001'],
    }),
    consent: Type.Optional(Type.String({ maxLength: 1, description: '"Y": every subject consented (required; 422 when missing or not Y)', examples: ['Y'] })),
    purpose: Type.Optional(
      Type.String({ maxLength: 200, description: 'Why the checks are made (required; 422 when missing)', examples: ['Vendor onboarding'] }),
    ),
  },
  { additionalProperties: false },
);
export type BulkQuery = Static<typeof bulkQuery>;

export const bulkBody = Type.String({
  description: 'text/csv: a header line naming the columns of the check type, then one row per check (at most 10,000)',
  examples: ['pan,name\nAAJPS2345Q,Ravi Kumar Sharma\n'],
});

export const bulkJobPayload = Type.Object({
  jobId: Type.String({ examples: ['VBJ01JDQ3Z6V0C8Q9Y4N6H2T5R7KX'] }),
  referenceId: Type.String(),
  checkType: Type.Unsafe<string>({ type: 'string', enum: [...BULK_CHECK_TYPES] }),
  status: Type.Unsafe<string>({ type: 'string', enum: [...JOB_STATUSES], description: 'QUEUED, RUNNING, COMPLETED or CANCELLED' }),
  rowsTotal: Type.Integer(),
  rowsDone: Type.Integer({ description: 'Rows ended (checked, or failed at upload or in their check)' }),
  rowsFailed: Type.Integer({ description: 'Rows FAILED: a malformed value, a check that failed, a penny drop the balance could not pay' }),
  purpose: Type.String(),
  createdOn: Type.String({ description: 'Sandbox time of the upload, ISO 8601' }),
  startedOn: Type.Union([Type.String(), Type.Null()]),
  completedOn: Type.Union([Type.String(), Type.Null()], { description: 'Sandbox time the job was COMPLETED or CANCELLED' }),
});
export type BulkJobPayload = Static<typeof bulkJobPayload>;

export const bulkJobResponse = envelopeSchema(bulkJobPayload, 'The bulk job and its progress');
export const bulkJobParams = Type.Object({ jobId: Type.String({ minLength: 1, maxLength: 64 }) });
