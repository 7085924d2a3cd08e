import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { envelope, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { bulkBody, bulkJobParams, bulkJobResponse, bulkQuery } from './schemas.js';
import { MAX_ROWS, toJobPayload, type BulkService } from './service.js';

const TAG = 'Verification';
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 415: errorEnvelopeSchema, 422: errorEnvelopeSchema };
const security = [{ bearer: [] }];
/** A 10,000-row file of the widest rows (account, IFSC, a 200-character name) fits. */
export const BULK_BODY_LIMIT_BYTES = MAX_ROWS * 300;

/** Bulk jobs (docs/api/verification.md "Bulk jobs"): a CSV body, the job's progress, its result CSV, cancel. */
export function registerBulkRoutes(app: FastifyInstance, service: BulkService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  // The CSV reaches the handler as text; the scope is this product's, so no other route takes text/csv.
  api.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  api.post(
    '/v0/verification/bulk',
    {
      bodyLimit: BULK_BODY_LIMIT_BYTES,
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Bulk job: a CSV of one check type, run row by row (QUEUED → RUNNING → COMPLETED)',
        description:
          'Content-Type text/csv. A malformed value is a FAILED row with its reason, not a refused file; a file without a header line, with an unknown or missing column, or over 10,000 rows is 422 and writes nothing. The same referenceId and file again replay the job.',
        security,
        querystring: bulkQuery,
        consumes: ['text/csv'],
        body: bulkBody,
        response: { 200: bulkJobResponse, ...errors },
      },
    },
    async (request) => {
      const p = request.principal!;
      const { job } = await service.upload(request.query, request.body, {
        companyId: p.companyId,
        requestedBy: p.username ?? p.clientId,
        clientId: p.clientId,
        requestIp: request.ip ?? null,
      });
      return envelope(toJobPayload(job));
    },
  );

  api.get(
    '/v0/verification/bulk/:jobId',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        summary: 'A bulk job and its progress (rows total, done, failed)',
        security,
        params: bulkJobParams,
        response: { 200: bulkJobResponse, ...errors },
      },
    },
    async (request) => envelope(toJobPayload(await service.get(request.principal!.companyId, request.params.jobId))),
  );

  api.get(
    '/v0/verification/bulk/:jobId/result',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        summary: 'The result CSV of a bulk job: row, referenceId, input (masked), status, verificationId, reason',
        description: 'text/csv, every row in order; rows not yet run read QUEUED, rows of a cancelled job CANCELLED.',
        security,
        params: bulkJobParams,
        response: { 200: { type: 'string', description: 'text/csv' }, ...errors },
      },
    },
    async (request, reply) => {
      const csv = await service.resultCsv(request.principal!.companyId, request.params.jobId);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${request.params.jobId}-result.csv"`).send(csv);
    },
  );

  api.post(
    '/v0/verification/bulk/:jobId/cancel',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Cancel a QUEUED or RUNNING bulk job: rows not yet run are CANCELLED',
        security,
        params: bulkJobParams,
        response: { 200: bulkJobResponse, ...errors },
      },
    },
    async (request) => envelope(toJobPayload(await service.cancel(request.principal!.companyId, request.params.jobId))),
  );
}
