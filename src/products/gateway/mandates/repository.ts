import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../core/db/engine.js';
import type { Mandate, MandateDebit, MandateNotification } from './model.js';
import { gatewayMandateDebits, gatewayMandateNotifications, gatewayMandates } from './tables.js';

export async function insertMandate(exec: Executor, mandate: Mandate): Promise<void> {
  await exec.insert(gatewayMandates).values(mandate);
}

export async function findMandate(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<Mandate | null> {
  const query = exec
    .select()
    .from(gatewayMandates)
    .where(and(eq(gatewayMandates.companyId, companyId), eq(gatewayMandates.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as Mandate | undefined) ?? null;
}

export async function findMandateByReference(exec: Executor, companyId: string, referenceId: string): Promise<Mandate | null> {
  const [row] = await exec
    .select()
    .from(gatewayMandates)
    .where(and(eq(gatewayMandates.companyId, companyId), eq(gatewayMandates.referenceId, referenceId)));
  return (row as Mandate | undefined) ?? null;
}

export async function updateMandate(exec: Executor, companyId: string, id: string, change: Partial<Mandate>): Promise<Mandate> {
  const [row] = await exec
    .update(gatewayMandates)
    .set(change)
    .where(and(eq(gatewayMandates.companyId, companyId), eq(gatewayMandates.id, id)))
    .returning();
  return row as Mandate;
}

export async function insertNotification(exec: Executor, n: MandateNotification): Promise<void> {
  await exec.insert(gatewayMandateNotifications).values(n);
}

export async function findNotification(exec: Executor, companyId: string, mandateId: string, cycle: number): Promise<MandateNotification | null> {
  const [row] = await exec
    .select()
    .from(gatewayMandateNotifications)
    .where(
      and(
        eq(gatewayMandateNotifications.companyId, companyId),
        eq(gatewayMandateNotifications.mandateId, mandateId),
        eq(gatewayMandateNotifications.cycle, cycle),
      ),
    );
  return row ?? null;
}

export async function findNotificationById(exec: Executor, companyId: string, id: string): Promise<MandateNotification | null> {
  const [row] = await exec
    .select()
    .from(gatewayMandateNotifications)
    .where(and(eq(gatewayMandateNotifications.companyId, companyId), eq(gatewayMandateNotifications.id, id)));
  return row ?? null;
}

export async function countNotifications(exec: Executor, companyId: string, mandateId: string): Promise<number> {
  const rows = await exec
    .select({ id: gatewayMandateNotifications.id })
    .from(gatewayMandateNotifications)
    .where(and(eq(gatewayMandateNotifications.companyId, companyId), eq(gatewayMandateNotifications.mandateId, mandateId)));
  return rows.length;
}

export async function insertDebit(exec: Executor, debit: MandateDebit): Promise<void> {
  await exec.insert(gatewayMandateDebits).values(debit);
}

export async function findDebit(exec: Executor, companyId: string, id: string, forUpdate = false): Promise<MandateDebit | null> {
  const query = exec
    .select()
    .from(gatewayMandateDebits)
    .where(and(eq(gatewayMandateDebits.companyId, companyId), eq(gatewayMandateDebits.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return (row as MandateDebit | undefined) ?? null;
}

export async function findDebitByReference(exec: Executor, companyId: string, referenceId: string): Promise<MandateDebit | null> {
  const [row] = await exec
    .select()
    .from(gatewayMandateDebits)
    .where(and(eq(gatewayMandateDebits.companyId, companyId), eq(gatewayMandateDebits.referenceId, referenceId)));
  return (row as MandateDebit | undefined) ?? null;
}

/** The mandate's debits of one cycle, oldest first. */
export async function cycleDebits(exec: Executor, companyId: string, mandateId: string, cycle: number): Promise<MandateDebit[]> {
  const rows = await exec
    .select()
    .from(gatewayMandateDebits)
    .where(and(eq(gatewayMandateDebits.companyId, companyId), eq(gatewayMandateDebits.mandateId, mandateId), eq(gatewayMandateDebits.cycle, cycle)))
    .orderBy(asc(gatewayMandateDebits.createdAt), asc(gatewayMandateDebits.id));
  return rows as MandateDebit[];
}

export async function updateDebit(exec: Executor, companyId: string, id: string, change: Partial<MandateDebit>): Promise<MandateDebit> {
  const [row] = await exec
    .update(gatewayMandateDebits)
    .set(change)
    .where(and(eq(gatewayMandateDebits.companyId, companyId), eq(gatewayMandateDebits.id, id)))
    .returning();
  return row as MandateDebit;
}
