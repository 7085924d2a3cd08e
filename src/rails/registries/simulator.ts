import { assertSupported, type Scenario } from '../scenario.js';
import { COMPANY_FIXTURES, LLP_FIXTURES, normalizeLlpin, parseCin } from './companies.js';
import { isRbiBank, rbiIfsc } from './ifsc-data.js';
import type { CompanyRecord, GstinRecord, IfscDetails, LlpRecord, PanRecord, RegistriesRail, RegistryAnswer } from './rail.js';
import { GST_CONSTITUTIONS, GST_STATES, normalizeGstin, normalizeIfsc, normalizePan, PAN_HOLDER_TYPES } from './rules.js';
import { GSTIN_FIXTURES, IFSC_BANKS, IFSC_BRANCHES, MISSING_BRANCH_SUFFIX, PAN_FIXTURES, registriesTestData } from './test-data.js';

/** Registry lookups have no asynchronous outcomes; a scenario can only make the registry unavailable. */
function unavailable<T>(scenario: Scenario | undefined, what: string): RegistryAnswer<T> | undefined {
  assertSupported(scenario, registriesTestData.scenarios, `the ${what} registry`);
  if (scenario?.name === 'fail') return { outcome: 'unavailable', reasonCode: scenario.reason ?? 'registry_unavailable' };
  if (scenario?.name === 'timeout') return { outcome: 'no_answer' };
  return undefined;
}

export class RegistriesSimulator implements RegistriesRail {
  readonly rail = 'registries' as const;

  async lookupIfsc(raw: string, options: { scenario?: Scenario | undefined } = {}): Promise<RegistryAnswer<IfscDetails>> {
    const ifsc = normalizeIfsc(raw);
    const down = unavailable<IfscDetails>(options.scenario, 'IFSC');
    if (down) return down;
    const bankCode = ifsc.slice(0, 4);
    const sandboxBank = IFSC_BANKS[bankCode];
    const known = sandboxBank !== undefined || isRbiBank(bankCode);
    // The documented missing branch (HDFC0999999) wins over the directory, which lists three such codes.
    if (!known || ifsc.endsWith(MISSING_BRANCH_SUFFIX)) return { outcome: 'not_found' };
    const rbi = rbiIfsc(ifsc);
    const fixture = IFSC_BRANCHES.find((b) => b.ifsc === ifsc);
    // A code outside the directory is found when it is a fixture branch or a branch of a listed sandbox bank (the documented default).
    if (!rbi && !fixture && sandboxBank === undefined) return { outcome: 'not_found' };
    const bank = (rbi !== null && rbi.subletOf !== null) || sandboxBank === undefined ? (rbi?.bank.name ?? bankCode) : sandboxBank;
    return {
      outcome: 'found',
      record: {
        ifsc,
        bankCode,
        bank,
        branch: fixture?.branch ?? null,
        city: fixture?.city ?? null,
        state: fixture?.state ?? null,
        rbi,
        imps: fixture?.imps ?? null,
        neft: fixture?.neft ?? null,
        rtgs: fixture?.rtgs ?? null,
      },
    };
  }

  async verifyPan(raw: string, options: { scenario?: Scenario | undefined } = {}): Promise<RegistryAnswer<PanRecord>> {
    const pan = normalizePan(raw);
    const down = unavailable<PanRecord>(options.scenario, 'PAN');
    if (down) return down;
    const holderType = PAN_HOLDER_TYPES[pan[3]!]!;
    const seeding = pan[3] === 'P' ? 'Y' : 'NA';
    const fixture = PAN_FIXTURES.find((p) => p.pan === pan);
    if (!fixture) return { outcome: 'found', record: { pan, status: 'VALID', name: 'SANDBOX PAN HOLDER', holderType, aadhaarSeedingStatus: seeding } };
    if (fixture.status === null || fixture.name === null) return { outcome: 'not_found' };
    return {
      outcome: 'found',
      record: { pan, status: fixture.status, name: fixture.name, holderType, aadhaarSeedingStatus: fixture.aadhaarSeedingStatus ?? seeding },
    };
  }

  async verifyGstin(raw: string, options: { scenario?: Scenario | undefined } = {}): Promise<RegistryAnswer<GstinRecord>> {
    const gstin = normalizeGstin(raw);
    const down = unavailable<GstinRecord>(options.scenario, 'GSTIN');
    if (down) return down;
    const state = GST_STATES[gstin.slice(0, 2)]!;
    const pan = gstin.slice(2, 12);
    const constitution = GST_CONSTITUTIONS[pan[3]!]!;
    const f = GSTIN_FIXTURES.find((g) => g.gstin === gstin);
    if (!f) {
      return {
        outcome: 'found',
        record: {
          gstin,
          status: 'Active',
          legalName: 'SANDBOX TAXPAYER',
          tradeName: 'SANDBOX TAXPAYER',
          registrationDate: '2017-07-01',
          state,
          pan,
          constitution,
          taxpayerType: 'Regular',
          statusDate: null,
          address: state,
        },
      };
    }
    if (f.status === null || f.legalName === null) return { outcome: 'not_found' };
    return {
      outcome: 'found',
      record: {
        gstin,
        status: f.status,
        legalName: f.legalName,
        tradeName: f.tradeName ?? f.legalName,
        registrationDate: f.registrationDate ?? '2017-07-01',
        state,
        pan,
        constitution: f.constitution ?? constitution,
        taxpayerType: f.taxpayerType ?? 'Regular',
        statusDate: f.statusDate ?? null,
        address: f.address ?? state,
      },
    };
  }

  async verifyCin(raw: string, options: { now: Date; scenario?: Scenario | undefined }): Promise<RegistryAnswer<CompanyRecord>> {
    const parsed = parseCin(raw, options.now);
    const down = unavailable<CompanyRecord>(options.scenario, 'MCA');
    if (down) return down;
    const f = COMPANY_FIXTURES.find((c) => c.cin === parsed.cin);
    if (!f) return { outcome: 'not_found' };
    const { description: _d, outcome: _o, ...record } = f;
    return { outcome: 'found', record: { ...record, parsed } };
  }

  async verifyLlpin(raw: string, options: { scenario?: Scenario | undefined } = {}): Promise<RegistryAnswer<LlpRecord>> {
    const llpin = normalizeLlpin(raw);
    const down = unavailable<LlpRecord>(options.scenario, 'MCA');
    if (down) return down;
    const f = LLP_FIXTURES.find((l) => l.llpin === llpin);
    if (!f) return { outcome: 'not_found' };
    const { description: _d, outcome: _o, ...record } = f;
    return { outcome: 'found', record };
  }
}
