/** A numeric setting from the environment: `fallback` when unset, an error when not a number >= `min`. */
export function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min} (got "${raw}")`);
  return n;
}

/**
 * The settings the PostgreSQL-backed load suites (gateway, payouts) share: run lengths, connections
 * (from `connectionsVariable`), pgbench's threads and Tijori's pool (bench/README.md).
 */
export function loadSettingsFromEnv(connectionsVariable: string) {
  const connections = Math.floor(envNumber(connectionsVariable, 32, 1));
  return {
    seconds: envNumber('BENCH_DURATION_SECONDS', 10, 1),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, 0),
    connections,
    pgbenchThreads: Math.min(connections, Math.floor(envNumber('BENCH_GATEWAY_PGBENCH_THREADS', 2, 1))),
    poolSize: Math.floor(envNumber('BENCH_GATEWAY_POOL_SIZE', 10, 1)),
  };
}
