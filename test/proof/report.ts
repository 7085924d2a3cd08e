/** One line of a proof suite's coverage report: a route and its counters. */
export interface RouteCoverage {
  route: string;
  counts: Record<string, number>;
  note?: string;
}

/**
 * Prints how many routes and requests a suite covered, one line per route, to stdout (vitest shows
 * it in the run's output and CI keeps it in the log): "every route is in both suites" is checked
 * by reading it as much as by the tests.
 */
export function printCoverage(suite: string, rows: RouteCoverage[], columns: string[]): void {
  const total = (c: string) => rows.reduce((sum, r) => sum + (r.counts[c] ?? 0), 0);
  const width = Math.max(10, ...rows.map((r) => r.route.length));
  const lines = [
    `[proof] ${suite}: ${rows.length} routes, ${columns.map((c) => `${total(c)} ${c}`).join(', ')}`,
    `[proof]   ${'route'.padEnd(width)}  ${columns.map((c) => c.padStart(8)).join(' ')}`,
    ...rows.map(
      (r) => `[proof]   ${r.route.padEnd(width)}  ${columns.map((c) => String(r.counts[c] ?? 0).padStart(8)).join(' ')}${r.note ? `  ${r.note}` : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Prints one figure of a proof suite (the concurrency suite's outcome of each race) beside the coverage lines. */
export function report(race: string, figures: string): void {
  process.stdout.write(`[proof] concurrency: ${race}: ${figures}\n`);
}
