/** India Standard Time is UTC+05:30 all year (no daylight saving). */
export const IST_OFFSET_MS = 330 * 60_000;

/** The calendar fields of an instant in IST. */
export function istParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number; dayOfYear: number } {
  const ist = new Date(at.getTime() + IST_OFFSET_MS);
  const year = ist.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  return {
    year,
    month: ist.getUTCMonth() + 1,
    day: ist.getUTCDate(),
    hour: ist.getUTCHours(),
    minute: ist.getUTCMinutes(),
    dayOfYear: Math.floor((ist.getTime() - startOfYear) / 86_400_000) + 1,
  };
}
