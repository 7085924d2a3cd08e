import type { Clock } from '../../../core/clock/clock.js';
import type { Database, Executor } from '../../../core/db/engine.js';
import { withTransaction } from '../../../core/db/transaction.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import { parseRupees } from '../../../core/money/index.js';
import { FEE_RULE_KEY, PAYMENT_MODES, type GatewaySettings, type PaymentMode } from './model.js';
import * as repo from './repository.js';

/** A change to a company's settings, as the wire gives it (rupees and percents, not paise and basis points). */
export interface SettingsPatch {
  merchantName?: string | null;
  enabledModes?: string[];
  /** Replaces the whole rule set: key → rupees. */
  feeRules?: Record<string, number>;
  surchargeGstPercent?: number;
  /** Merged per mode: mode → percent with at most two decimals (1.8 = 1.80 %). */
  mdrRates?: Record<string, number>;
  mdrGstPercent?: number;
  settlementDelayDays?: number;
  maxPaymentAttempts?: number;
  orderExpiryMinutes?: number;
  upiCollectTimeoutMinutes?: number;
  settlementAccount?: { accountNumber: string; ifsc: string };
  /** Replaces the list; null: back to the default (any origin in the sandbox, none outside it). */
  checkoutOrigins?: string[] | null;
}

export interface GatewaySettingsService {
  /** The company's settings, inside the caller's transaction when `exec` is one. Frozen: read them, never change them. */
  get(exec: Executor, companyId: string): Promise<GatewaySettings>;
  update(companyId: string, patch: SettingsPatch): Promise<GatewaySettings>;
}

function isMode(value: string): value is PaymentMode {
  return (PAYMENT_MODES as readonly string[]).includes(value);
}

/** Percent with at most two decimals → basis points, exactly (1.8 → 180). */
function percentToBasisPoints(value: number, field: string): number {
  const bp = Math.round(value * 100);
  if (!Number.isFinite(value) || value < 0 || value > 100 || Math.abs(bp - value * 100) > 1e-6) {
    throw new ValidationError(`Invalid field ${field}: a percent from 0 to 100 with at most two decimals`, { param: field });
  }
  return bp;
}

/** Applies a validated patch; every rule here is one a schema cannot state alone. */
export function applyPatch(current: GatewaySettings, patch: SettingsPatch): GatewaySettings {
  const next: GatewaySettings = { ...current, feeRules: { ...current.feeRules }, mdrBasisPoints: { ...current.mdrBasisPoints } };
  if (patch.merchantName !== undefined && patch.merchantName !== null) next.merchantName = patch.merchantName;
  if (patch.enabledModes !== undefined) {
    const unknown = patch.enabledModes.find((mode) => !isMode(mode));
    if (unknown !== undefined) throw new ValidationError(`Invalid field enabledModes: unknown payment mode ${unknown}`, { param: 'enabledModes' });
    if (new Set(patch.enabledModes).size !== patch.enabledModes.length)
      throw new ValidationError('Invalid field enabledModes: a mode is listed twice', { param: 'enabledModes' });
    next.enabledModes = patch.enabledModes as PaymentMode[];
  }
  if (patch.feeRules !== undefined) {
    next.feeRules = {};
    for (const [key, rupees] of Object.entries(patch.feeRules)) {
      if (!FEE_RULE_KEY.test(key)) {
        throw new ValidationError(
          `Invalid field feeRules.${key}: keys are SC_|CF_|PF_ + UP|WA|NB|CC|DC|PC|BC + _DEFAULT or a bank, wallet or card-scheme code`,
          { param: 'feeRules' },
        );
      }
      next.feeRules[key] = parseRupees(rupees, { field: `feeRules.${key}`, allowZero: true });
    }
  }
  if (patch.mdrRates !== undefined) {
    for (const [mode, percent] of Object.entries(patch.mdrRates)) {
      if (!isMode(mode)) throw new ValidationError(`Invalid field mdrRates.${mode}: unknown payment mode`, { param: 'mdrRates' });
      next.mdrBasisPoints[mode] = percentToBasisPoints(percent, `mdrRates.${mode}`);
    }
  }
  if (patch.settlementAccount !== undefined) next.settlementAccount = { ...patch.settlementAccount };
  if (patch.checkoutOrigins !== undefined) next.checkoutOrigins = patch.checkoutOrigins && [...new Set(patch.checkoutOrigins.map((o) => o.toLowerCase()))];
  for (const field of [
    'surchargeGstPercent',
    'mdrGstPercent',
    'settlementDelayDays',
    'maxPaymentAttempts',
    'orderExpiryMinutes',
    'upiCollectTimeoutMinutes',
  ] as const) {
    const value = patch[field];
    if (value !== undefined) next[field] = value;
  }
  return next;
}

/**
 * How long a process keeps a company's settings without reading them again (real time). An update
 * through this process replaces them at once; one made by another process (another server on the
 * same database) reaches this one within this time.
 */
export const SETTINGS_CACHE_MS = 2_000;
const SETTINGS_CACHE_ENTRIES = 10_000;

/** Freezes the settings and every object in them: a cached value is shared by every caller (ADR 0031). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function createGatewaySettings(deps: { database: Database; clock: Clock }): GatewaySettingsService {
  const { database, clock } = deps;
  const load = async (exec: Executor, companyId: string) => {
    const settings = await repo.findSettings(exec, companyId);
    // Gateway callers are authenticated as the company, which therefore exists.
    if (!settings) throw new Error(`company ${companyId} does not exist`);
    return settings;
  };
  // Settings are read on every order and payment; updates are rare. A read keeps what it found
  // only when no update of the company ended while it ran (`updates`), so a slow read never puts
  // back what an update of this process replaced.
  const cache = new Map<string, { settings: GatewaySettings; until: number }>();
  const updates = new Map<string, number>();
  return {
    async get(exec, companyId) {
      const now = clock.now().getTime();
      const cached = cache.get(companyId);
      // Frozen, so every caller may hold the one cached value: nobody can change it under another.
      if (cached && cached.until > now) return cached.settings;
      const generation = updates.get(companyId) ?? 0;
      const settings = deepFreeze(await load(exec, companyId));
      if ((updates.get(companyId) ?? 0) === generation) {
        cache.delete(companyId);
        if (cache.size >= SETTINGS_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(companyId, { settings, until: now + SETTINGS_CACHE_MS });
      }
      return settings;
    },
    async update(companyId, patch) {
      try {
        return await withTransaction(database.db, async (tx) => {
          await repo.lockSettings(tx, companyId);
          const current = await load(tx, companyId);
          const companyName = (await repo.companyName(tx, companyId)) ?? current.merchantName;
          const next = applyPatch(current, patch);
          if (patch.merchantName === null) next.merchantName = companyName;
          await repo.saveSettings(tx, next, next.merchantName === companyName ? null : next.merchantName, clock.now());
          return next;
        });
      } finally {
        // Committed or not, the next read goes to the database.
        updates.set(companyId, (updates.get(companyId) ?? 0) + 1);
        cache.delete(companyId);
      }
    },
  };
}
