import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { envelope, envelopeSchema, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../core/http/pagination.js';
import type { AuditRecord } from './audit-repository.js';
import type { AuditQuery, VerificationAudit } from './audit.js';
import { CHECK_STATUSES, CHECK_TYPES } from './model.js';

/** The audit routes of the verification suite (docs/api/verification.md "Consent and audit", ADR 0044). */

const TAG = 'Verification';
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 422: errorEnvelopeSchema };
const security = [{ bearer: [] }];
const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

const filters = {
  checkType: Type.Optional(enumOf(CHECK_TYPES)),
  status: Type.Optional(enumOf(CHECK_STATUSES)),
  referenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The purpose given with the check, exactly' })),
  createdBy: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Who asked: the username, or the client id of a client-credentials token' }),
  ),
  fromDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601)' })),
  toDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (ISO 8601)' })),
};
export const auditSearchBody = Type.Object(
  { ...filters, offset: Type.Optional(Type.Integer(pageQueryProperties.offset)), limit: Type.Optional(Type.Integer(pageQueryProperties.limit)) },
  { additionalProperties: false },
);
export const auditExportQuery = Type.Object(filters, { additionalProperties: false });

const auditRecord = Type.Object({
  verificationId: Type.String(),
  referenceId: Type.String(),
  checkType: enumOf(CHECK_TYPES),
  status: enumOf(CHECK_STATUSES),
  message: Type.String(),
  input: Type.String({ description: 'The input as normalised; an Aadhaar number masked (XXXX XXXX 1234)' }),
  purpose: Type.String(),
  consentText: Type.String({ description: 'The consent wording sent with the check, or the documented default wording' }),
  requestedBy: Type.String({ description: 'The username of the token, or its client id' }),
  requestIp: nullableString('The IP address the request came from'),
  dataVersion: Type.String(),
  createdOn: Type.String(),
  completedOn: nullableString('When the check ended; null while PENDING'),
  purgedOn: nullableString('When the result was purged after the retention period; null while kept'),
});
type AuditPayload = Static<typeof auditRecord>;

function toAuditPayload(r: AuditRecord): AuditPayload {
  return {
    verificationId: r.id,
    referenceId: r.referenceId,
    checkType: r.checkType,
    status: r.status,
    message: r.message,
    input: r.inputMasked,
    purpose: r.consentPurpose,
    // Checks recorded before ADR 0044 may have no consent text.
    consentText: r.consentText ?? '',
    requestedBy: r.requestedBy,
    requestIp: r.requestIp,
    dataVersion: r.dataVersion,
    createdOn: r.createdAt.toISOString(),
    completedOn: r.completedAt?.toISOString() ?? null,
    purgedOn: r.purgedAt?.toISOString() ?? null,
  };
}

export const CSV_COLUMNS = Object.keys(auditRecord.properties) as (keyof AuditPayload)[];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a value a
 * spreadsheet would run as a formula (= + - @, tab, CR) is prefixed with `'` (OWASP CSV injection).
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (fields: (string | null)[]) => `${fields.map(csvField).join(',')}\r\n`;

async function* csvOf(pages: AsyncIterable<AuditRecord[]>): AsyncGenerator<string> {
  yield csvLine(CSV_COLUMNS);
  for await (const page of pages) {
    yield page
      .map((r) => {
        const p = toAuditPayload(r);
        return csvLine(CSV_COLUMNS.map((c) => p[c]));
      })
      .join('');
  }
}

export function registerVerificationAuditRoutes(app: FastifyInstance, audit: VerificationAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const companyOf = (request: FastifyRequest) => request.principal!.companyId;

  api.post(
    '/v0/verification/audit/search',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        summary: 'Search the audit records of the checks (type, status, dates, purpose, referenceId, createdBy), newest first',
        description:
          'One immutable record per check: who, IP, when, purpose, consent text, masked input, outcome and data version. Kept after the result is purged.',
        security,
        body: auditSearchBody,
        response: { 200: envelopeSchema(pageSchema(auditRecord), 'A page of audit records, newest first'), ...errors },
      },
    },
    async (request) => {
      const page = await audit.search(companyOf(request), request.body);
      return envelope({ ...page, content: page.content.map(toAuditPayload) });
    },
  );

  // A CSV body no response schema describes: the 200 is documented in the description.
  app.get(
    '/v0/verification/audit/export',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        summary: 'Export the audit records as CSV (the search filters as query parameters), oldest first',
        description: `text/csv, streamed page by page (any size); columns ${CSV_COLUMNS.join(', ')}.`,
        security,
        querystring: auditExportQuery,
        response: errors,
      },
    },
    async (request, reply) => {
      const companyId = companyOf(request);
      const stream = Readable.from(csvOf(audit.records(companyId, request.query as AuditQuery)));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="verification-audit-${companyId}.csv"`).send(stream);
    },
  );
}
