import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { envelope, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { scenarioFrom } from '../../rails/index.js';
import type { CheckRequest } from './model.js';
import {
  aadhaarBody,
  checkResponse,
  cinBody,
  gstinBody,
  idParams,
  llpinBody,
  nameMatchBody,
  panBody,
  searchBody,
  searchResponse,
  settingsBody,
  settingsResponse,
} from './schemas.js';
import { requireConsent, toPayload, type VerificationService } from './service.js';

const TAG = 'Verification';
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };
const security = [{ bearer: [] }];

/** Who asks, with which consent, from where: recorded with the check. @throws consent_required (422) */
function checkRequest(
  request: FastifyRequest,
  body: { referenceId: string; consent?: string | undefined; purpose?: string | undefined; consentText?: string | undefined },
): CheckRequest {
  const { purpose } = requireConsent(body);
  const p = request.principal!;
  return {
    companyId: p.companyId,
    referenceId: body.referenceId,
    consent: { purpose, text: body.consentText ?? null },
    requestedBy: p.username ?? p.clientId,
    requestIp: request.ip ?? null,
    scenario: scenarioFrom(request),
  };
}

const CHECKS = [
  [
    'pan',
    panBody,
    'PAN: status, holder type, Aadhaar seeding, name match',
    'A PAN (`^[A-Z]{5}[0-9]{4}[A-Z]$`, the 4th character a holder type) against the Income Tax registry (sandbox fixtures).',
  ],
  [
    'gstin',
    gstinBody,
    'GSTIN: legal and trade name, status, registration',
    'A GSTIN, its state code, PAN and check character verified before the GSTN lookup (sandbox fixtures).',
  ],
  [
    'aadhaar',
    aadhaarBody,
    'Aadhaar: format and Verhoeff check digit',
    'No e-KYC: 12 digits, not starting with 0 or 1, and the Verhoeff digit. Answers keep only XXXX XXXX 1234.',
  ],
  [
    'cin',
    cinBody,
    'CIN: parsed and looked up in the MCA master data',
    'Listing, NIC industry code, state, year and type parsed; the company looked up (sandbox fixtures).',
  ],
  ['llpin', llpinBody, 'LLPIN: looked up in the MCA master data', 'An LLPIN (`^[A-Z]{3}-[0-9]{4}$`) looked up (sandbox fixtures).'],
] as const;

/** The verification suite's routes, under /api (docs/api/verification.md; reference §11: INFERRED paths in EnKash's style). */
export function registerVerificationRoutes(app: FastifyInstance, service: VerificationService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const companyOf = (request: FastifyRequest) => request.principal!.companyId;

  for (const [path, body, summary, description] of CHECKS) {
    api.post(
      `/v0/verification/${path}`,
      { config: { scope: 'write' }, schema: { tags: [TAG], summary, description, security, body, response: { 200: checkResponse, ...errors } } },
      async (request) => {
        const b = request.body as Record<string, string> & { referenceId: string };
        const r = await service[path](b as never, checkRequest(request, b));
        return envelope(toPayload(r.check));
      },
    );
  }

  api.post(
    '/v0/verification/name-match',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Two names compared: score, band and breakdown',
        description: 'Normalised, honorifics dropped, legal suffixes unified, transliteration folded, tokens paired in any order, Jaro-Winkler per token.',
        security,
        body: nameMatchBody,
        response: { 200: checkResponse, ...errors },
      },
    },
    async (request) => envelope(toPayload((await service.nameMatch(request.body, checkRequest(request, request.body))).check)),
  );

  api.get(
    '/v0/verification/:verificationId',
    {
      config: { scope: 'read' },
      schema: { tags: [TAG], summary: 'A check by verificationId', security, params: idParams, response: { 200: checkResponse, ...errors } },
    },
    async (request) => envelope(toPayload(await service.get(companyOf(request), request.params.verificationId))),
  );

  api.post(
    '/v0/verification/search',
    {
      config: { scope: 'read' },
      schema: {
        tags: [TAG],
        summary: 'Search checks (type, status, referenceId, dates), newest first',
        security,
        body: searchBody,
        response: { 200: searchResponse, ...errors },
      },
    },
    async (request) => {
      const page = await service.search(companyOf(request), request.body);
      return envelope({ ...page, content: page.content.map(toPayload) });
    },
  );

  api.get(
    '/v0/verification/settings',
    {
      config: { scope: 'read' },
      schema: { tags: [TAG], summary: 'The name-matching thresholds of the company', security, response: { 200: settingsResponse, ...errors } },
    },
    async (request) => envelope({ nameMatchThresholds: await service.thresholds(companyOf(request)) }),
  );

  api.put(
    '/v0/verification/settings',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Set the name-matching thresholds (MATCH at or above `match`, PARTIAL at or above `partial`)',
        security,
        body: settingsBody,
        response: { 200: settingsResponse, ...errors },
      },
    },
    async (request) => envelope({ nameMatchThresholds: await service.setThresholds(companyOf(request), request.body.nameMatchThresholds) }),
  );
}
