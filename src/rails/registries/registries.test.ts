import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario.js';
import { GST_STATES, gstinCheckCharacter, normalizeGstin, normalizeIfsc, normalizePan, PAN_HOLDER_TYPES } from './rules.js';
import { rbiIfsc } from './ifsc-data.js';
import { RegistriesSimulator } from './simulator.js';
import { GSTIN_FIXTURES } from './test-data.js';

const registries = new RegistriesSimulator();
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('GSTIN check character', () => {
  it('matches the published example 27AAPFU0939F1ZV and every fixture', () => {
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V');
    for (const f of GSTIN_FIXTURES) expect(gstinCheckCharacter(f.gstin.slice(0, 14))).toBe(f.gstin[14]);
  });

  it('catches every single-character change of a valid GSTIN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 35 }), (i, delta) => {
        const gstin = '27AAPFU0939F1ZV';
        const changed = gstin.slice(0, i) + BASE36[(BASE36.indexOf(gstin[i]!) + delta) % 36] + gstin.slice(i + 1);
        expect(gstinCheckCharacter(changed.slice(0, 14))).not.toBe('V');
      }),
    );
  });

  it('validates the check character computed for any GSTIN body, and refuses every single-character change of it', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const digit = fc.constantFrom(...'0123456789');
    const body = fc
      .tuple(
        fc.constantFrom(...Object.keys(GST_STATES)),
        fc.array(letter, { minLength: 3, maxLength: 3 }),
        fc.constantFrom(...Object.keys(PAN_HOLDER_TYPES)),
        letter,
        fc.array(digit, { minLength: 4, maxLength: 4 }),
        letter,
        fc.constantFrom(...'123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      )
      .map(([state, first, type, initial, digits, last, entity]) => `${state}${first.join('')}${type}${initial}${digits.join('')}${last}${entity}Z`);
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 35 }), (b, i, delta) => {
        const gstin = b + gstinCheckCharacter(b);
        expect(normalizeGstin(gstin)).toBe(gstin);
        const changed = gstin.slice(0, i) + BASE36[(BASE36.indexOf(gstin[i]!) + delta) % 36] + gstin.slice(i + 1);
        expect(() => normalizeGstin(changed)).toThrow('Invalid field gstin');
      }),
    );
  });

  it('refuses malformed GSTINs with the reason', () => {
    expect(normalizeGstin(' 27aapfu0939f1zv ')).toBe('27AAPFU0939F1ZV');
    expect(() => normalizeGstin('27AAPFU0939F1ZW')).toThrow('Invalid field gstin: the check character does not match');
    expect(() => normalizeGstin('25AAPFU0939F1ZV')).toThrow('unknown state code 25');
    expect(() => normalizeGstin('27AAPFU0939F1Z')).toThrow('must be a 2-digit state code');
    expect(() => normalizeGstin('27AAAXU0939F1ZV')).toThrow('characters 3 to 12 are not a PAN');
  });
});

describe('PAN and IFSC syntax', () => {
  it('checks the PAN shape and holder type', () => {
    expect(normalizePan('aaapz1234c')).toBe('AAAPZ1234C');
    for (const bad of ['AAAXZ1234C', 'AAAPZ12345', 'AAPZ1234C', 'AAAPZ1234CC', '1AAPZ1234C']) expect(() => normalizePan(bad), bad).toThrow('Invalid field pan');
  });

  it('checks the IFSC shape', () => {
    expect(normalizeIfsc('hdfc0000001')).toBe('HDFC0000001');
    for (const bad of ['HDFC1000001', 'HDF00000001', 'HDFC000001', 'HDFC0-00001']) expect(() => normalizeIfsc(bad), bad).toThrow('Invalid field ifsc');
  });
});

describe('RegistriesSimulator', () => {
  it('looks IFSCs up: fixture branch, known bank, missing branch, unknown bank', async () => {
    expect(await registries.lookupIfsc('SBIN0000001')).toEqual({
      outcome: 'found',
      record: {
        ifsc: 'SBIN0000001',
        bankCode: 'SBIN',
        bank: 'State Bank of India',
        branch: 'Kolkata Main',
        city: 'Kolkata',
        state: 'West Bengal',
        rbi: rbiIfsc('SBIN0000001'),
        imps: true,
        neft: true,
        rtgs: true,
      },
    });
    expect(await registries.lookupIfsc('KKBK0001234')).toEqual({
      outcome: 'found',
      record: {
        ifsc: 'KKBK0001234',
        bankCode: 'KKBK',
        bank: 'Kotak Mahindra Bank',
        branch: null,
        city: null,
        state: null,
        rbi: null,
        imps: null,
        neft: null,
        rtgs: null,
      },
    });
    expect(await registries.lookupIfsc('KKBK0999999')).toEqual({ outcome: 'not_found' });
    expect(await registries.lookupIfsc('HDFC0999999')).toEqual({ outcome: 'not_found' });
    expect(await registries.lookupIfsc('ABCD0000001')).toEqual({ outcome: 'not_found' });
  });

  it("finds the banks of RBI's directory beyond the sandbox's list, by their own names, sublets by the member bank", async () => {
    expect(await registries.lookupIfsc('ABHY0065001')).toMatchObject({
      outcome: 'found',
      record: {
        bankCode: 'ABHY',
        bank: 'Abhyudaya Co-operative Bank',
        branch: null,
        rbi: { subletOf: null, micr: '400065001', bank: { code: 'ABHY', type: 'S-UCB', upi: true } },
      },
    });
    expect(await registries.lookupIfsc('ABHY0999998')).toEqual({ outcome: 'not_found' });
    expect(await registries.lookupIfsc('APBL0001001')).toMatchObject({
      outcome: 'found',
      record: { bankCode: 'APBL', bank: 'District Co-operative Central Bank Srikakul', rbi: { subletOf: 'APBL', bank: { code: 'TSDX', type: 'DCCB' } } },
    });
    // A sublet at a listed sandbox bank names the member bank, not the prefix's.
    expect(await registries.lookupIfsc('HDFC0CAACOB')).toMatchObject({ outcome: 'found', record: { bankCode: 'HDFC', bank: 'Akhand Anand Co.op Bank' } });
  });

  it('verifies PANs: fixtures, holder type, default', async () => {
    expect(await registries.verifyPan('AABCT1234E')).toEqual({
      outcome: 'found',
      record: { pan: 'AABCT1234E', status: 'VALID', name: 'TIJORI TEST PRIVATE LIMITED', holderType: 'Company', aadhaarSeedingStatus: 'NA' },
    });
    expect(await registries.verifyPan('AAAPI5678K')).toMatchObject({
      outcome: 'found',
      record: { status: 'INOPERATIVE', holderType: 'Individual', aadhaarSeedingStatus: 'N' },
    });
    expect(await registries.verifyPan('AAAPV4321R')).toMatchObject({ outcome: 'found', record: { status: 'DEACTIVATED', aadhaarSeedingStatus: 'Y' } });
    expect(await registries.verifyPan('ZZZPZ9999Z')).toEqual({ outcome: 'not_found' });
    expect(await registries.verifyPan('BBBHB1111B')).toEqual({
      outcome: 'found',
      record: { pan: 'BBBHB1111B', status: 'VALID', name: 'SANDBOX PAN HOLDER', holderType: 'Hindu Undivided Family', aadhaarSeedingStatus: 'NA' },
    });
  });

  it('verifies GSTINs with state and PAN', async () => {
    expect(await registries.verifyGstin('29AABCT1234E1ZO')).toEqual({
      outcome: 'found',
      record: {
        gstin: '29AABCT1234E1ZO',
        status: 'Cancelled',
        legalName: 'TIJORI TEST PRIVATE LIMITED',
        tradeName: 'TIJORI BENGALURU',
        registrationDate: '2018-04-01',
        state: 'Karnataka',
        pan: 'AABCT1234E',
        constitution: 'Private Limited Company',
        taxpayerType: 'Regular',
        statusDate: '2023-03-31',
        address: 'Karnataka',
      },
    });
    expect(await registries.verifyGstin('24AABCN0000N1ZZ')).toEqual({ outcome: 'not_found' });
    expect(await registries.verifyGstin('27AAPFU0939F1ZV')).toMatchObject({
      outcome: 'found',
      record: { status: 'Active', legalName: 'SANDBOX TAXPAYER', state: 'Maharashtra', constitution: 'Partnership', taxpayerType: 'Regular', statusDate: null },
    });
    expect(await registries.verifyGstin('33AAAPZ1234C1Z7')).toMatchObject({
      outcome: 'found',
      record: { taxpayerType: 'Composition', constitution: 'Proprietorship' },
    });
    expect(await registries.verifyGstin('36AAACZ5678M1ZJ')).toMatchObject({
      outcome: 'found',
      record: { taxpayerType: 'SEZ Unit', constitution: 'Public Limited Company' },
    });
  });

  it('parses CINs and looks companies and LLPs up', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(await registries.verifyCin('u72900mh2017ptc123456', { now })).toEqual({
      outcome: 'found',
      record: {
        cin: 'U72900MH2017PTC123456',
        name: 'TIJORI TEST PRIVATE LIMITED',
        status: 'Active',
        incorporationDate: '2017-05-12',
        registeredAddress: '4th Floor, Sandbox House, Lower Parel, Mumbai, Maharashtra, 400013',
        parsed: {
          cin: 'U72900MH2017PTC123456',
          listing: 'UNLISTED',
          industryCode: '72900',
          stateCode: 'MH',
          state: 'Maharashtra',
          yearOfIncorporation: 2017,
          companyType: 'PTC',
          companyTypeName: 'Private Limited Company',
          registrationNumber: '123456',
        },
      },
    });
    expect(await registries.verifyCin('L65990MH1990PLC000001', { now })).toEqual({ outcome: 'not_found' });
    await expect(registries.verifyCin('U72900MH2027PTC123456', { now })).rejects.toThrow('the year of incorporation 2027 is not between 1850 and this year');
    await expect(registries.verifyCin('U72900XX2017PTC123456', { now })).rejects.toThrow('unknown state code XX');
    await expect(registries.verifyCin('U72900MH2017ABC123456', { now })).rejects.toThrow('unknown company type ABC');
    await expect(registries.verifyCin('U72900MH2017PTC12345', { now })).rejects.toThrow('Invalid field cin: must be L or U');
    expect(await registries.verifyLlpin('aaa-1234')).toMatchObject({
      outcome: 'found',
      record: { llpin: 'AAA-1234', name: 'ZEN TRADERS LLP', designatedPartners: 2 },
    });
    expect(await registries.verifyLlpin('ZZZ-9999')).toEqual({ outcome: 'not_found' });
    await expect(registries.verifyLlpin('AAA1234')).rejects.toThrow('Invalid field llpin');
  });

  it('answers unavailable or no answer under a scenario, and refuses others', async () => {
    expect(await registries.verifyPan('AABCT1234E', { scenario: parseScenario('fail') })).toEqual({
      outcome: 'unavailable',
      reasonCode: 'registry_unavailable',
    });
    expect(await registries.verifyGstin('27AABCT1234E1ZS', { scenario: parseScenario('timeout') })).toEqual({ outcome: 'no_answer' });
    await expect(registries.lookupIfsc('SBIN0000001', { scenario: parseScenario('succeed_after:PT1M') })).rejects.toThrow(
      'is not supported by the IFSC registry',
    );
  });
});
