import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors/app-error.js';
import { envelope, envelopeErrorHandler, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { scenarioFrom } from '../../rails/index.js';
import { registerVerificationAuditRoutes } from './audit-routes.js';
import { BUSINESS_RESPONSE_CODES } from './errors.js';
import { registerIfscRoute } from './ifsc.js';
import type { CheckRequest } from './model.js';
import {
  aadhaarBody,
  bankAccountBody,
  checkResponse,
  cinBody,
  gstinBody,
  idParams,
  llpinBody,
  nameMatchBody,
  panBody,
  pennyDropBody,
  pennyDropResponse,
  reverseBody,
  searchBody,
  searchResponse,
  settingsBody,
  settingsResponse,
  vpaBody,
} from './schemas.js';
import { requireConsent, toPayload, type VerificationService } from './service.js';

const TAG = 'Verification';
const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema };
const security = [{ bearer: [] }];

/** A business failure (the penny drop's short balance) answers HTTP 200 with its response_code, as payouts does; every other error the one envelope mapper. */
function verificationErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const responseCode = err instanceof AppError ? BUSINESS_RESPONSE_CODES[err.code] : undefined;
  if (responseCode === undefined || !(err instanceof AppError)) return envelopeErrorHandler(err, request, reply);
  request.log.info({ code: err.code, responseCode }, err.message);
  void reply
    .code(200)
    .header('x-error-code', err.code)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ response_code: responseCode, response_message: err.message, payload: null }));
}

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
  [
    'vpa',
    vpaBody,
    "UPI VPA: the holder's name at the PSP, name match",
    "The format and a known PSP handle (else 400), then the UPI rail's lookup, as the gateway's Verify UPI VPA answers it.",
  ],
] as const;

/** The verification suite's routes, under /api (docs/api/verification.md; reference §11: INFERRED paths in EnKash's style). */
export function registerVerificationRoutes(app: FastifyInstance, service: VerificationService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.setErrorHandler(verificationErrorHandler);
  const companyOf = (request: FastifyRequest) => request.principal!.companyId;
  registerVerificationAuditRoutes(app, service.audit);

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
    '/v0/verification/bank-account',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Bank account: IFSC, then a ₹1.00 IMPS penny drop (or penny-less), name at bank and match',
        description:
          'The penny drop is a real payout from the payout balance (a UTR); a short balance answers response_code 1 and moves nothing. The CONFIRMED EnKash path is POST /api/v0/pennyDrop.',
        security,
        body: bankAccountBody,
        response: { 200: checkResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await service.bankAccount(
        { accountNumber: b.accountNumber, ifsc: b.ifsc, name: b.name ?? null, pennyLess: b.pennyLess ?? false },
        { ...checkRequest(request, b), clientId: request.principal!.clientId },
      );
      return envelope(toPayload(r.check));
    },
  );

  api.post(
    '/v0/verification/bank-account/reverse',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Reverse penny drop: a ₹1.00 UPI collect from the payer; their name, masked account and IFSC; the rupee refunded',
        description:
          'PENDING with the collect (orderId); when the payer pays, VALID and a VERIFICATION_COMPLETED webhook, the rupee refunded at once through the gateway; declined or expired, FAILED and the webhook.',
        security,
        body: reverseBody,
        response: { 200: checkResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const r = await service.bankAccountReverse({ payerVpa: b.payerVpa, name: b.name ?? null }, checkRequest(request, b));
      return envelope(toPayload(r.check));
    },
  );

  api.post(
    '/v0/pennyDrop',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Penny drop (EnKash reference §14, CONFIRMED path and fields)',
        description: "The same check as POST /api/v0/verification/bank-account, in EnKash's published shape. consent and purpose are optional here.",
        security,
        body: pennyDropBody,
        response: { 200: pennyDropResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const p = request.principal!;
      const consent = b.consent === undefined && b.purpose === undefined ? { consent: 'Y', purpose: 'pennyDrop' } : { consent: b.consent, purpose: b.purpose };
      const { check } = await service.bankAccount(
        { accountNumber: b.beneficiaryAccountNumber, ifsc: b.beneficiaryIfscCode, name: b.beneficiaryName ?? null, pennyLess: b.pennyLess },
        { ...checkRequest(request, { referenceId: b.customerRequestId, ...consent }), clientId: p.clientId },
      );
      const result = check.result ?? {};
      return envelope({
        ifsc: (result['ifsc'] as string | undefined) ?? b.beneficiaryIfscCode.toUpperCase(),
        requestId: check.referenceId,
        enkashUniqueId: check.id,
        utr: (result['utr'] as string | null | undefined) ?? null,
        status: check.status,
        beneficiaryName: (result['nameAtBank'] as string | null | undefined) ?? null,
      });
    },
  );

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

  registerIfscRoute(app, service.ifsc);

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
      schema: {
        tags: [TAG],
        summary: 'The name-matching thresholds and result retention of the company',
        security,
        response: { 200: settingsResponse, ...errors },
      },
    },
    async (request) => envelope(await service.settings(companyOf(request))),
  );

  api.put(
    '/v0/verification/settings',
    {
      config: { scope: 'write' },
      schema: {
        tags: [TAG],
        summary: 'Set the name-matching thresholds (MATCH at or above `match`, PARTIAL at or above `partial`) and/or the result retention in days',
        security,
        body: settingsBody,
        response: { 200: settingsResponse, ...errors },
      },
    },
    async (request) => envelope(await service.setSettings(companyOf(request), request.body)),
  );
}
