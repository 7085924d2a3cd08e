import { sql } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import { queryRows } from '../../../core/db/transaction.js';
import { defaultGatewaySettings, type GatewaySettings, type PaymentMode } from './model.js';
import { gatewaySettings } from './tables.js';

interface SettingsRow {
  company_name: string;
  merchant_name: string | null;
  enabled_modes: string[] | null;
  fee_rules: Record<string, string> | null;
  surcharge_gst_percent: number | null;
  mdr_basis_points: Record<string, number> | null;
  mdr_gst_percent: number | null;
  settlement_delay_days: number | null;
  max_payment_attempts: number | null;
  order_expiry_minutes: number | null;
  upi_collect_timeout_minutes: number | null;
  settlement_account_number: string | null;
  settlement_ifsc: string | null;
  checkout_origins: string[] | null;
  sandbox_mode: boolean;
}

/** The company's settings (defaults when it has no row), or undefined for an unknown company. */
export async function findSettings(db: Executor, companyId: string): Promise<GatewaySettings | undefined> {
  const [row] = await queryRows<SettingsRow>(
    db,
    sql`select c.name as company_name, s.merchant_name, s.enabled_modes, s.fee_rules, s.surcharge_gst_percent, s.mdr_basis_points,
               s.mdr_gst_percent, s.settlement_delay_days, s.max_payment_attempts, s.order_expiry_minutes, s.upi_collect_timeout_minutes,
               s.settlement_account_number, s.settlement_ifsc, s.checkout_origins, c.sandbox_mode
          from companies c left join gateway_settings s on s.company_id = c.id
         where c.id = ${companyId}`,
  );
  if (!row) return undefined;
  const defaults = defaultGatewaySettings(companyId, row.company_name, row.sandbox_mode);
  if (row.enabled_modes === null) return defaults;
  return {
    companyId,
    merchantName: row.merchant_name ?? row.company_name,
    enabledModes: row.enabled_modes as PaymentMode[],
    feeRules: Object.fromEntries(Object.entries(row.fee_rules ?? {}).map(([key, paise]) => [key, BigInt(paise)])),
    surchargeGstPercent: row.surcharge_gst_percent!,
    mdrBasisPoints: { ...defaults.mdrBasisPoints, ...(row.mdr_basis_points ?? {}) },
    mdrGstPercent: row.mdr_gst_percent!,
    settlementDelayDays: row.settlement_delay_days!,
    maxPaymentAttempts: row.max_payment_attempts!,
    orderExpiryMinutes: row.order_expiry_minutes!,
    upiCollectTimeoutMinutes: row.upi_collect_timeout_minutes!,
    settlementAccount:
      row.settlement_account_number !== null && row.settlement_ifsc !== null
        ? { accountNumber: row.settlement_account_number, ifsc: row.settlement_ifsc }
        : defaults.settlementAccount,
    checkoutOrigins: row.checkout_origins,
    sandbox: row.sandbox_mode,
  };
}

/** Writes the whole settings row (insert or replace). `merchantName` equal to the company's name is kept as null. */
export async function saveSettings(db: Executor, settings: GatewaySettings, merchantName: string | null, at: Date): Promise<void> {
  const values = {
    companyId: settings.companyId,
    merchantName,
    enabledModes: settings.enabledModes,
    feeRules: Object.fromEntries(Object.entries(settings.feeRules).map(([key, paise]) => [key, paise.toString()])),
    surchargeGstPercent: settings.surchargeGstPercent,
    mdrBasisPoints: settings.mdrBasisPoints,
    mdrGstPercent: settings.mdrGstPercent,
    settlementDelayDays: settings.settlementDelayDays,
    maxPaymentAttempts: settings.maxPaymentAttempts,
    orderExpiryMinutes: settings.orderExpiryMinutes,
    upiCollectTimeoutMinutes: settings.upiCollectTimeoutMinutes,
    settlementAccountNumber: settings.settlementAccount.accountNumber,
    settlementIfsc: settings.settlementAccount.ifsc,
    checkoutOrigins: settings.checkoutOrigins,
    updatedAt: at,
  };
  await db.insert(gatewaySettings).values(values).onConflictDoUpdate({ target: gatewaySettings.companyId, set: values });
}

export async function lockSettings(db: Executor, companyId: string): Promise<void> {
  await db.execute(sql`select id from companies where id = ${companyId} for update`);
}

export async function companyName(db: Executor, companyId: string): Promise<string | undefined> {
  const [row] = await queryRows<{ name: string }>(db, sql`select name from companies where id = ${companyId}`);
  return row?.name;
}
