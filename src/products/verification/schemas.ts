import { Type, type Static, type TSchema } from 'typebox';
import { envelopeSchema } from '../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../core/http/pagination.js';
import { CHECK_STATUSES, CHECK_TYPES } from './model.js';

/** Route schemas of the verification suite (docs/api/verification.md): validation and /openapi.json. */

const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** The fields of every check: referenceId, consent and purpose (consent is checked by the handler: 422 naming the field). */
const common = {
  referenceId: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9._:-]+$',
    description: 'Your reference, unique per company: a repeat with the same input replays the first answer',
    examples: ['KYC-2026-0001'],
  }),
  consent: Type.Optional(
    Type.String({ maxLength: 1, description: '"Y": the subject consented to this check (required; 422 when missing or not Y)', examples: ['Y'] }),
  ),
  purpose: Type.Optional(Type.String({ maxLength: 200, description: 'Why the check is made (required; 422 when missing)', examples: ['Vendor onboarding'] })),
  consentText: Type.Optional(Type.String({ maxLength: 2000, description: 'The consent wording shown to the subject, kept with the check' })),
};
const name = Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A name to match against the name on record (nameMatch block)' }));

export const panBody = Type.Object({ ...common, pan: Type.String({ maxLength: 20, examples: ['AAAPZ1234C'] }), name }, { additionalProperties: false });
export const gstinBody = Type.Object(
  { ...common, gstin: Type.String({ maxLength: 20, examples: ['27AABCT1234E1ZS'] }), name },
  { additionalProperties: false },
);
export const aadhaarBody = Type.Object(
  {
    ...common,
    aadhaarNumber: Type.String({
      maxLength: 20,
      description: '12 digits (spaces or hyphens allowed); never stored or answered in full',
      examples: ['2341 2341 2346'],
    }),
  },
  { additionalProperties: false },
);
export const cinBody = Type.Object(
  { ...common, cin: Type.String({ maxLength: 30, examples: ['U72900MH2017PTC123456'] }), name },
  { additionalProperties: false },
);
export const llpinBody = Type.Object({ ...common, llpin: Type.String({ maxLength: 10, examples: ['AAA-1234'] }), name }, { additionalProperties: false });
export const vpaBody = Type.Object(
  { ...common, vpa: Type.String({ maxLength: 330, description: 'handle@psp; the PSP handle must be known', examples: ['success@enkash'] }), name },
  { additionalProperties: false },
);
export const reverseBody = Type.Object(
  {
    ...common,
    payerVpa: Type.String({ maxLength: 330, description: 'The VPA of the account holder, who is sent a ₹1.00 UPI collect', examples: ['success@enkash'] }),
    name,
  },
  { additionalProperties: false },
);
const ifsc = Type.String({ maxLength: 20, description: 'IFSC of the branch: checked first', examples: ['HDFC0000001'] });
const accountNumber = Type.String({ maxLength: 30, description: '6 to 18 digits', examples: ['100000000001'] });
const pennyLess = Type.Boolean({ description: 'True: ask the bank without moving money; false: a ₹1.00 IMPS penny drop from the payout balance' });
export const bankAccountBody = Type.Object({ ...common, accountNumber, ifsc, name, pennyLess: Type.Optional(pennyLess) }, { additionalProperties: false });
/** §14 CONFIRMED (api-18880709): the field names letter for letter; consent and purpose are Tijori's optional additions. */
export const pennyDropBody = Type.Object(
  {
    beneficiaryAccountNumber: accountNumber,
    customerRequestId: common.referenceId,
    beneficiaryIfscCode: ifsc,
    pennyLess,
    beneficiaryName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Tijori: a name to match against the name at the bank' })),
    consent: common.consent,
    purpose: common.purpose,
  },
  { additionalProperties: false },
);
export const pennyDropResponse = envelopeSchema(
  Type.Object({
    ifsc: Type.String(),
    requestId: Type.String({ description: 'Your customerRequestId' }),
    enkashUniqueId: Type.String({ description: 'The verificationId (GET /api/v0/verification/{verificationId} has the whole check)' }),
    utr: nullable(Type.String()),
    status: Type.String({ description: 'VALID, INVALID, PENDING or FAILED (Tijori: EnKash did not publish its values)' }),
    beneficiaryName: nullable(Type.String({ description: 'The name at the bank' })),
  }),
  'The penny drop (reference §14)',
);

export const nameMatchBody = Type.Object(
  {
    ...common,
    name1: Type.String({ minLength: 1, maxLength: 200, examples: ['Mr. R K Sharma'] }),
    name2: Type.String({ minLength: 1, maxLength: 200, examples: ['Ravi Kumar Sharma'] }),
  },
  { additionalProperties: false },
);
export type CommonBody = Static<typeof panBody>;

const breakdownName = Type.Object({
  input: Type.String(),
  normalised: Type.String(),
  honorificsRemoved: Type.Array(Type.String()),
  legalSuffix: nullable(Type.String()),
  tokens: Type.Array(Type.String()),
  folded: Type.Array(Type.String()),
});
const breakdown = Type.Object({
  nameA: breakdownName,
  nameB: breakdownName,
  pairs: Type.Array(Type.Object({ a: Type.String(), b: Type.String(), method: Type.String(), score: Type.Number() })),
  unpairedA: Type.Array(Type.String()),
  unpairedB: Type.Array(Type.String()),
  legalSuffix: Type.String(),
  suffixFactor: Type.Number(),
});
const thresholds = Type.Object({ match: Type.Integer({ minimum: 0, maximum: 100 }), partial: Type.Integer({ minimum: 0, maximum: 100 }) });
export const nameMatchBlock = Type.Object(
  {
    nameGiven: Type.String(),
    nameOnRecord: Type.String(),
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    band: enumOf(['MATCH', 'PARTIAL', 'NO_MATCH'] as const),
    thresholds,
    breakdown,
  },
  { description: 'The name given against the name on record: score 0–100, band at the company thresholds, and the breakdown of each step' },
);

/** A check as answered by every route and sent in the VERIFICATION_COMPLETED webhook. */
export const checkPayload = Type.Object({
  verificationId: Type.String({ examples: ['VRF01JDQ3Z6V0C8Q9Y4N6H2T5R7KX'] }),
  referenceId: Type.String(),
  checkType: enumOf(CHECK_TYPES),
  status: enumOf(CHECK_STATUSES, 'VALID, INVALID (on record but not valid: cancelled, deleted…), NOT_FOUND, PENDING (the registry has not answered), FAILED'),
  message: Type.String(),
  input: Type.String({ description: 'The input as normalised; an Aadhaar number masked (XXXX XXXX 1234)' }),
  result: nullable(
    Type.Object({}, { additionalProperties: true, description: 'The check-specific answer (docs/api/verification.md); null while PENDING or when not found' }),
  ),
  nameMatch: nullable(nameMatchBlock),
  purpose: Type.String(),
  dataVersion: Type.String({ description: 'The version of the registry data the answer comes from' }),
  createdOn: Type.String({ description: 'Sandbox time of the request, ISO 8601' }),
  completedOn: nullable(Type.String({ description: 'Sandbox time the check ended, ISO 8601; null while PENDING' })),
  purgedOn: nullable(
    Type.String({
      description: 'Sandbox time the result was purged after the retention period (result and nameMatch are then null), ISO 8601; null until then',
    }),
  ),
});
export type CheckPayload = Static<typeof checkPayload>;

export const checkResponse = envelopeSchema(checkPayload, 'The check');
export const idParams = Type.Object({ verificationId: Type.String({ minLength: 1, maxLength: 64 }) });
export const searchBody = Type.Object(
  {
    checkType: Type.Optional(enumOf(CHECK_TYPES)),
    status: Type.Optional(enumOf(CHECK_STATUSES)),
    referenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    fromDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601)' })),
    toDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (ISO 8601)' })),
    offset: Type.Optional(Type.Integer(pageQueryProperties.offset)),
    limit: Type.Optional(Type.Integer(pageQueryProperties.limit)),
  },
  { additionalProperties: false },
);
export type SearchBody = Static<typeof searchBody>;
export const searchResponse = envelopeSchema(pageSchema(checkPayload), 'A page of checks, newest first');
const retention = Type.Integer({
  minimum: 1,
  maximum: 3650,
  description: 'Days a check result is kept; a daily sweep (00:00 IST, sandbox clock) then purges it and keeps the audit record (default 180)',
});
export const settingsBody = Type.Object(
  { nameMatchThresholds: Type.Optional(thresholds), resultRetentionDays: Type.Optional(retention) },
  { additionalProperties: false, minProperties: 1 },
);
export const settingsResponse = envelopeSchema(
  Type.Object({ nameMatchThresholds: thresholds, resultRetentionDays: retention }),
  'The company settings of the verification suite',
);
