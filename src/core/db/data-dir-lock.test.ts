import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir()', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses a second holder while the first is alive, naming the pid', () => {
    const dir = tempDir();
    // Another live process owns the lock: this very test runner's parent.
    fs.writeFileSync(path.join(dir, 'tijori.lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another Tijori process \\(pid ${process.ppid}`));
  });

  it('takes over a lock whose owner is dead, and releases it', () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    fs.writeFileSync(path.join(dir, 'tijori.lock'), JSON.stringify({ pid: deadPid, host: os.hostname(), startedAt: 'x' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tijori.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'tijori.lock'))).toBe(false);
  });

  it('refuses a lock held by another host', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'tijori.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(/locked by host elsewhere/);
  });

  it('creates the folder when it does not exist yet', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    lockDataDir(dir).release();
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });
});
