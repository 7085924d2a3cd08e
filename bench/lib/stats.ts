/** One measured run: successful operations over a timed window and their latencies. */
export interface Sample {
  /** Successful operations (HTTP 2xx, or verify() that returned true). */
  ok: number;
  /** HTTP answers other than 2xx (or failed verifies). */
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** Length of the timed window in seconds. */
  seconds: number;
  /** Latency of each successful operation in milliseconds. */
  latenciesMs: number[];
}

export interface Summary {
  ratePerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  statusCodes: Record<string, number>;
  /** Rate of each run when several runs were merged (a baseline run before and after). */
  runRates: number[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Summarises one or more runs of the same thing: the rate over the summed windows, percentiles over all latencies. */
export function summarize(samples: Sample[]): Summary {
  let count = 0;
  for (const s of samples) count += s.latenciesMs.length;
  const all = new Float64Array(count);
  let at = 0;
  for (const s of samples) {
    all.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
  }
  all.sort();
  let sum = 0;
  for (const v of all) sum += v;
  const ok = samples.reduce((a, s) => a + s.ok, 0);
  const seconds = samples.reduce((a, s) => a + s.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const s of samples) for (const [code, n] of Object.entries(s.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    ratePerSecond: seconds > 0 ? ok / seconds : 0,
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    meanMs: count > 0 ? sum / count : Number.NaN,
    maxMs: count > 0 ? all[count - 1]! : Number.NaN,
    ok,
    non2xx: samples.reduce((a, s) => a + s.non2xx, 0),
    errors: samples.reduce((a, s) => a + s.errors, 0),
    seconds,
    statusCodes,
    runRates: samples.map((s) => (s.seconds > 0 ? s.ok / s.seconds : 0)),
  };
}

/** Fixed-width text table; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], isHeader: boolean) =>
    r
      .map((c, i) => {
        const numeric = !isHeader && i > 0 && /^[-\d.,x%]+$/.test(c);
        return numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [line(header, true), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map((r) => line(r, false))].join('\n');
}

export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}
