/**
 * Runs tasks one at a time per key, in arrival order, within this process. Keys with nothing
 * queued hold no memory.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** `fn` receives whether it had to wait for an earlier task of the same key. */
  async run<T>(key: string, fn: (waited: boolean) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.tails.set(key, tail);
    try {
      if (previous) await previous;
      return await fn(previous !== undefined);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
