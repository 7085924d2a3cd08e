import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { envelope, envelopeSchema, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { RailInputError } from '../../rails/errors.js';
import { scenarioFrom, type Scenario } from '../../rails/index.js';
import { IFSC_DATA_VERSION, IFSC_PATTERN, type RegistriesRail } from '../../rails/registries/index.js';

/**
 * The IFSC lookup (issue 20 part 6; ADR 0042): `GET /api/v0/verification/{ifsc}`. Existence,
 * bank, MICR, UPI/ACH/NACH flags and sublets from RBI's directory (the `ifsc` package, through
 * the registries rail); branch, city and IMPS/NEFT/RTGS from the sandbox's fixture branches, else
 * null. A lookup of public reference data, not recorded as a check: no referenceId, no consent.
 */

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Boolean>>(t: T) => Type.Union([t, Type.Null()]);
const flag = (description: string) => nullable(Type.Boolean({ description }));

const bank = Type.Object({
  code: Type.String({ description: 'The bank that answers for the code: the sublet member for a sublet, else the IFSC prefix' }),
  name: nullable(Type.String()),
  type: nullable(Type.String({ description: "RBI's category: PSB, Private, Foreign, SFB, PB, RRB, DCCB, S-UCB, O-UCB…" })),
  iin: nullable(Type.String({ description: 'Issuer identification number (Aadhaar-enabled payments)' })),
  upi: flag('The bank is live on UPI'),
  achCredit: flag('NACH credit'),
  achDebit: flag('NACH debit'),
  apbs: flag('Aadhaar Payment Bridge'),
  nachDebit: flag('NACH debit (mandates)'),
});

export const ifscPayload = Type.Object({
  ifsc: Type.String(),
  status: Type.Unsafe<'VALID' | 'NOT_FOUND' | 'FAILED'>({
    type: 'string',
    enum: ['VALID', 'NOT_FOUND', 'FAILED'],
    description: "VALID: in RBI's directory (or a sandbox fixture branch); NOT_FOUND; FAILED: the registry did not answer (scenario)",
  }),
  message: Type.String(),
  bankCode: Type.String({ description: 'The first four characters' }),
  bank: Type.Union([bank, Type.Null()]),
  subletOf: nullable(Type.String({ description: 'For a sublet code: the bank code it is sublet from (the prefix); else null' })),
  micr: nullable(Type.String({ description: 'Known for the one code per bank the directory gives a MICR for; else null' })),
  branch: nullable(Type.String({ description: 'Sandbox fixture branches only; else null (the directory has no branches)' })),
  city: nullable(Type.String()),
  state: nullable(Type.String()),
  imps: flag('Sandbox fixture branches only; else null (unknown)'),
  neft: flag('Sandbox fixture branches only; else null (unknown)'),
  rtgs: flag('Sandbox fixture branches only; else null (unknown)'),
  dataVersion: Type.String({ description: "The directory's version: the ifsc package's (ifsc@2.0.50)" }),
});
export type IfscPayload = Static<typeof ifscPayload>;

const UNKNOWN = { bank: null, subletOf: null, micr: null, branch: null, city: null, state: null, imps: null, neft: null, rtgs: null };

/**
 * Looks a code up: refused (400 invalid_rail_input, nothing looked up) unless it is exactly
 * `^[A-Z]{4}0[A-Z0-9]{6}$` (no lower case). A code only the sandbox's default accepts (any branch
 * of a listed bank, for payouts) is NOT_FOUND here: the check answers RBI's list and the documented fixtures.
 */
export async function lookupIfsc(registries: RegistriesRail, ifsc: string, scenario: Scenario | undefined): Promise<IfscPayload> {
  if (!IFSC_PATTERN.test(ifsc)) {
    throw new RailInputError('Invalid field ifsc: must be 4 capital letters, 0, then 6 capital letters or digits', { param: 'ifsc' });
  }
  const base = { ifsc, bankCode: ifsc.slice(0, 4), dataVersion: IFSC_DATA_VERSION };
  const answer = await registries.lookupIfsc(ifsc, { scenario });
  if (answer.outcome === 'unavailable' || answer.outcome === 'no_answer') {
    const reason = answer.outcome === 'unavailable' ? answer.reasonCode : 'registry_timeout';
    return { ...base, ...UNKNOWN, status: 'FAILED', message: `The IFSC registry did not answer (${reason}); try again later` };
  }
  const r = answer.outcome === 'found' ? answer.record : null;
  if (r === null || (r.rbi === null && r.branch === null)) {
    return { ...base, ...UNKNOWN, status: 'NOT_FOUND', message: `No bank branch has the IFSC ${ifsc} in RBI's directory (${IFSC_DATA_VERSION})` };
  }
  const fromRbi = r.rbi?.bank;
  return {
    ...base,
    status: 'VALID',
    message: r.branch === null ? `${r.bank}: the branch is in RBI's directory, which names no branches` : `${r.bank}, ${r.branch}`,
    bank: fromRbi
      ? { ...fromRbi, name: r.bank }
      : { code: r.bankCode, name: r.bank, type: null, iin: null, upi: null, achCredit: null, achDebit: null, apbs: null, nachDebit: null },
    subletOf: r.rbi?.subletOf ?? null,
    micr: r.rbi?.micr ?? null,
    branch: r.branch,
    city: r.city,
    state: r.state,
    imps: r.imps,
    neft: r.neft,
    rtgs: r.rtgs,
  };
}

/** `GET /api/v0/verification/ifsc/{ifsc}` (read scope). */
export function registerIfscRoute(app: FastifyInstance, lookup: (ifsc: string, scenario: Scenario | undefined) => Promise<IfscPayload>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v0/verification/ifsc/:ifsc',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Verification'],
        summary: "IFSC: bank, MICR, UPI/NACH flags and sublets from RBI's directory",
        description:
          "Existence from RBI's directory as the ifsc npm package ships it (about 177,000 codes); branch, city and IMPS/NEFT/RTGS for the sandbox's fixture branches only, else null. Not recorded as a check: no referenceId or consent.",
        security: [{ bearer: [] }],
        params: Type.Object({ ifsc: Type.String({ maxLength: 20, description: '^[A-Z]{4}0[A-Z0-9]{6}$ (capital letters)', examples: ['SBIN0000001'] }) }),
        response: { 200: envelopeSchema(ifscPayload, 'The IFSC'), 400: errorEnvelopeSchema, 404: errorEnvelopeSchema },
      },
    },
    async (request) => envelope(await lookup(request.params.ifsc, scenarioFrom(request))),
  );
}
