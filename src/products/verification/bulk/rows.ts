import { AppError } from '../../../core/errors/app-error.js';
import { normalizeIfsc } from '../../../rails/registries/index.js';
import { CHECK_SPECS, type RegistryCheckType } from '../checks.js';
import type { CheckType } from '../model.js';
import type { PreparedInput } from '../service.js';

/**
 * The columns of each check type's CSV and how a row becomes the input its check runs on (at
 * upload: a malformed value is a FAILED row with the reason, never a refused file), for the bulk
 * jobs of docs/api/verification.md. An Aadhaar row keeps only `XXXX XXXX 1234` and the keyed
 * hash: its check (format and Verhoeff digit) is decided at upload, the run records it.
 */

export interface BulkType {
  required: readonly string[];
  optional: readonly string[];
}

const NAMED = { optional: ['name', 'referenceId'] } as const;
/** The check types a bulk job runs (the reverse penny drop waits on a payer, a VPA check on the UPI rail: one at a time). */
export const BULK_CHECK_TYPES = ['PAN', 'GSTIN', 'AADHAAR', 'CIN', 'LLPIN', 'BANK_ACCOUNT', 'NAME_MATCH'] as const satisfies readonly CheckType[];
export type BulkCheckType = (typeof BULK_CHECK_TYPES)[number];

export const BULK_TYPES: Record<BulkCheckType, BulkType> = {
  PAN: { required: ['pan'], ...NAMED },
  GSTIN: { required: ['gstin'], ...NAMED },
  AADHAAR: { required: ['aadhaarNumber'], optional: ['referenceId'] },
  CIN: { required: ['cin'], ...NAMED },
  LLPIN: { required: ['llpin'], ...NAMED },
  BANK_ACCOUNT: { required: ['accountNumber', 'ifsc'], ...NAMED },
  NAME_MATCH: { required: ['name1', 'name2'], optional: ['referenceId'] },
};

/** A row as stored: what the check runs on, or why it failed at upload. */
export type PreparedRow = { ok: true; input: string[]; masked: string; hash: string | null } | { ok: false; masked: string; reason: string };

const ACCOUNT_NUMBER = /^[0-9]{6,18}$/;
/** An Aadhaar-like value shown in a result: its last four characters only. */
const maskAadhaarLike = (raw: string) => `XXXX XXXX ${raw.replace(/[\s-]/g, '').slice(-4)}`;
const maskAccount = (account: string) => `${'X'.repeat(Math.max(0, account.length - 4))}${account.slice(-4)}`;
const shown = (raw: string) => (raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);

export interface RowPreparer {
  prepareInput(spec: (typeof CHECK_SPECS)[RegistryCheckType], raw: string, name: string | null, now: Date): PreparedInput;
}

/** Prepares one row's values (by column name) for its check. Never throws for bad input: the row fails. */
export function prepareRow(type: BulkCheckType, values: Record<string, string>, now: Date, service: RowPreparer): PreparedRow {
  const name = values['name'] ? values['name'] : null;
  try {
    switch (type) {
      case 'BANK_ACCOUNT': {
        const account = (values['accountNumber'] ?? '').trim();
        const masked = `${maskAccount(account)}@${(values['ifsc'] ?? '').trim().toUpperCase()}`;
        if (!ACCOUNT_NUMBER.test(account)) return { ok: false, masked: shown(masked), reason: 'Invalid field accountNumber: must be 6 to 18 digits' };
        const ifsc = normalizeIfsc(values['ifsc'] ?? '');
        return { ok: true, input: name === null ? [account, ifsc] : [account, ifsc, name], masked: `${maskAccount(account)}@${ifsc}`, hash: null };
      }
      case 'NAME_MATCH': {
        const name1 = values['name1'] ?? '';
        const name2 = values['name2'] ?? '';
        return { ok: true, input: [name1, name2], masked: shown(`${name1} | ${name2}`), hash: null };
      }
      default: {
        const raw = values[BULK_TYPES[type].required[0]!] ?? '';
        const p = service.prepareInput(CHECK_SPECS[type], raw, name, now);
        // An Aadhaar's lookup reads only its masked form: the full number is not kept.
        const lookup = type === 'AADHAAR' ? p.masked : p.normalised;
        return { ok: true, input: name === null ? [lookup] : [lookup, name], masked: p.masked, hash: p.hash };
      }
    }
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const raw = values[BULK_TYPES[type].required[0]!] ?? '';
    return { ok: false, masked: type === 'AADHAAR' ? maskAadhaarLike(raw) : shown(raw.trim()), reason: err.message };
  }
}
