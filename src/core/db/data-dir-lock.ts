import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time on an embedded data folder. PGlite has no locking of its own, and two
 * writers on one folder silently lose acknowledged commits (measured: 1,076 of 7,908 lost; see
 * reliability-test-plan §0), so a second `tijori` on the same folder must stop with a clear
 * message while the first keeps serving.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A lock whose pid is no longer
 * alive on this host (the owner was killed) is taken over, so a crash never needs manual cleanup;
 * the takeover itself is serialised (removeStaleLock) so two starts cannot both win.
 */
export class DataDirLockedError extends Error {}

export interface DataDirLock {
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** Whether a process with this pid runs on this host (EPERM: it runs, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TAKEOVER_STALE_MS = 10_000;

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockAgeMs(lockPath: string): number {
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function readLock(lockPath: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return undefined; // Missing, half-written or unreadable.
  }
}

/**
 * Removes the lock file if it still holds `stale` (a dead owner). Only the process holding the
 * `tijori.lock.takeover` directory (mkdir is atomic) may do so: two starts that both saw the dead
 * owner can then never delete each other's fresh lock. A takeover directory left by a process
 * that died during the few microseconds it holds it is cleared after 10 s.
 */
function removeStaleLock(lockPath: string, stale: LockInfo | undefined): void {
  const takeover = `${lockPath}.takeover`;
  try {
    fs.mkdirSync(takeover);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - fs.statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) fs.rmdirSync(takeover);
    } catch {
      // Released meanwhile.
    }
    sleepMs(20);
    return;
  }
  try {
    const current = readLock(lockPath);
    const same = current === undefined ? stale === undefined : stale !== undefined && current.pid === stale.pid && current.startedAt === stale.startedAt;
    if (same) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmdirSync(takeover);
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'tijori.lock');
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(info), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readLock(lockPath);
    if (owner && owner.host === os.hostname() && owner.pid !== process.pid && isProcessAlive(owner.pid)) {
      throw new DataDirLockedError(
        `the data folder ${dataDir} is in use by another Tijori process (pid ${owner.pid}, started ${owner.startedAt}). ` +
          'Stop that process first, or point this one at another folder with TIJORI_DATA_DIR or --data-dir.',
      );
    }
    if (owner && owner.host !== os.hostname()) {
      throw new DataDirLockedError(
        `the data folder ${dataDir} is locked by host ${owner.host} (pid ${owner.pid}). If that process is gone, delete ${lockPath}.`,
      );
    }
    if (!owner && lockAgeMs(lockPath) < 2_000) {
      // Unreadable but fresh: another process is between creating its lock and writing it.
      sleepMs(20);
      continue;
    }
    removeStaleLock(lockPath, owner);
  }
  throw new DataDirLockedError(`could not lock the data folder ${dataDir}`);
}
