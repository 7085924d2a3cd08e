import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
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

describe('lockDataDir() under a race', () => {
  it('lets exactly one of several processes take over a stale lock at the same moment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-lock-race-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      fs.writeFileSync(path.join(dir, 'tijori.lock'), JSON.stringify({ pid: Number(dead.stdout.toString()), host: os.hostname(), startedAt: 'x' }));
      const script = `
        import { lockDataDir } from ${JSON.stringify(new URL('./data-dir-lock.ts', import.meta.url).href)};
        const go = Number(process.argv[1]);
        while (Date.now() < go) {}
        try { lockDataDir(process.argv[2]); console.log('LOCKED'); setTimeout(() => {}, 1500); }
        catch (err) { console.log('REFUSED ' + err.message); }`;
      const go = Date.now() + 1500;
      const runs = Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(go), dir]);
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('close', () => resolve(out.trim()));
          }),
      );
      const outcomes = await Promise.all(runs);
      expect(outcomes.filter((o) => o === 'LOCKED')).toHaveLength(1);
      expect(outcomes.filter((o) => o.startsWith('REFUSED') && o.includes('in use by another Tijori process'))).toHaveLength(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
