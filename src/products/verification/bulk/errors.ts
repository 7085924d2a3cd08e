import { defineError } from '../../../core/errors/app-error.js';

/** The CSV cannot be read as a whole (no header, an unknown or missing column, an unclosed quote, no row, too many rows): nothing was written. */
export const InvalidBulkFileError = defineError('invalid_request', 422, 'invalid_bulk_file');
/** No bulk job with this jobId in the company (another company's id included). */
export const BulkJobNotFoundError = defineError('not_found', 404, 'bulk_job_not_found');
/** The job's referenceId was used by the company for another check type or another file. */
export const BulkReferenceConflictError = defineError('conflict', 409, 'bulk_reference_conflict');
/** Cancel of a job that has ended (COMPLETED or CANCELLED). */
export const BulkJobEndedError = defineError('conflict', 409, 'bulk_job_ended');

/** This part's codes (src/error-catalogue.ts, docs/errors.md). */
export const bulkErrorCodes: Record<string, string> = {
  invalid_bulk_file:
    'A bulk upload whose CSV cannot be read as a whole: no header line, an unknown or missing column, an unclosed quote, no data row or more than 10,000. Nothing was written; a malformed value in a row is not this error but a FAILED row.',
  bulk_job_not_found: 'No bulk verification job with this jobId in the company.',
  bulk_reference_conflict: "The bulk job's referenceId was used before by this company for another check type or another file; send a new referenceId.",
  bulk_job_ended: 'Only a QUEUED or RUNNING bulk job can be cancelled; this one is COMPLETED or CANCELLED.',
};
