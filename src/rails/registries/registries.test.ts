import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario.js';
import { gstinCheckCharacter, normalizeGstin, normalizeIfsc, normalizePan } from './rules.js';
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
      record: { ifsc: 'SBIN0000001', bankCode: 'SBIN', bank: 'State Bank of India', branch: 'Kolkata Main', city: 'Kolkata', state: 'West Bengal' },
    });
    expect(await registries.lookupIfsc('KKBK0001234')).toEqual({
      outcome: 'found',
      record: { ifsc: 'KKBK0001234', bankCode: 'KKBK', bank: 'Kotak Mahindra Bank', branch: null, city: null, state: null },
    });
    expect(await registries.lookupIfsc('KKBK0999999')).toEqual({ outcome: 'not_found' });
    expect(await registries.lookupIfsc('ABCD0000001')).toEqual({ outcome: 'not_found' });
  });

  it('verifies PANs: fixtures, holder type, default', async () => {
    expect(await registries.verifyPan('AABCT1234E')).toEqual({
      outcome: 'found',
      record: { pan: 'AABCT1234E', status: 'VALID', name: 'TIJORI TEST PRIVATE LIMITED', holderType: 'Company' },
    });
    expect(await registries.verifyPan('AAAPI5678K')).toMatchObject({ outcome: 'found', record: { status: 'INOPERATIVE', holderType: 'Individual' } });
    expect(await registries.verifyPan('ZZZPZ9999Z')).toEqual({ outcome: 'not_found' });
    expect(await registries.verifyPan('BBBHB1111B')).toEqual({
      outcome: 'found',
      record: { pan: 'BBBHB1111B', status: 'VALID', name: 'SANDBOX PAN HOLDER', holderType: 'Hindu Undivided Family' },
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
      },
    });
    expect(await registries.verifyGstin('24AABCN0000N1ZZ')).toEqual({ outcome: 'not_found' });
    expect(await registries.verifyGstin('27AAPFU0939F1ZV')).toMatchObject({
      outcome: 'found',
      record: { status: 'Active', legalName: 'SANDBOX TAXPAYER', state: 'Maharashtra' },
    });
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
