import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in arrival order, and tells the later ones they waited', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string, ms: number) =>
      mutex.run('k', async (waited) => {
        events.push(`start ${name} ${waited}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        return name;
      });
    expect(await Promise.all([task('a', 20), task('b', 1), task('c', 1)])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a false', 'end a', 'start b true', 'end b', 'start c true', 'end c']);
  });

  it('lets different keys run side by side and survives a failing task', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const slow = mutex.run('x', async () => {
      events.push('x');
      await new Promise((r) => setTimeout(r, 20));
    });
    await mutex.run('y', async () => events.push('y'));
    await slow;
    expect(events).toEqual(['x', 'y']);
    await expect(mutex.run('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('x', async (waited) => waited)).toBe(false);
  });
});
