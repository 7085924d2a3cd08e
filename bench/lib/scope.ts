import type { BenchChild } from './child.js';
import { createScratchDatabase, dropAbandonedScratchDatabases, type ScratchDatabase } from './database.js';

/**
 * What a suite owns while it runs: its child processes, things to close (clients) and its scratch
 * database, all released once by `close()` or by a Ctrl-C. `on`, not `once`: a Ctrl-C can arrive
 * twice (from the terminal and relayed by tsx), and the second must not kill the process before
 * the scratch database is dropped.
 */
export interface BenchScope {
  children: BenchChild[];
  closers: Array<() => Promise<void>>;
  /** Drops scratch databases of killed runs, then creates this run's. */
  scratchDatabase(adminUrl: string): Promise<ScratchDatabase>;
  close(): Promise<void>;
}

export function openBenchScope(log: (line: string) => void): BenchScope {
  const children: BenchChild[] = [];
  const closers: Array<() => Promise<void>> = [];
  let db: ScratchDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.allSettled(closers.map((c) => c()));
      await Promise.allSettled(children.map((c) => c.stop()));
      await db?.drop();
    })());
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping servers and dropping the scratch database');
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    children,
    closers,
    async scratchDatabase(adminUrl) {
      const abandoned = await dropAbandonedScratchDatabases(adminUrl);
      if (abandoned.length > 0) log(`dropped ${abandoned.length} scratch database(s) left by killed runs: ${abandoned.join(', ')}`);
      db = await createScratchDatabase(adminUrl);
      return db;
    },
    async close() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await cleanup();
    },
  };
}
