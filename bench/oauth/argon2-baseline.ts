/**
 * Child process: the password grant's floor, argon2id verify() of @node-rs/argon2 on a hash made
 * by Tijori's own hashPassword (so the same m=19456, t=2, p=1), kept `concurrency` calls in
 * flight for `seconds`, like the HTTP load keeps that many requests in flight. Replies `ready`,
 * then answers each `run` with a `result`.
 */
import { performance } from 'node:perf_hooks';
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../../src/core/crypto/passwords.js';
import { SANDBOX } from '../../src/auth/seed.js';
import { onStop, send } from '../lib/child.js';

async function run(hash: string, password: string, seconds: number, concurrency: number) {
  const latenciesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  // Like autocannon: a call counts when it completes inside the window.
  const lane = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const good = await verify(hash, password).catch(() => false);
      const t1 = performance.now();
      if (t1 > deadline) break;
      if (good) {
        ok++;
        latenciesMs.push(t1 - t0);
      } else {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ok, non2xx: failed, errors: 0, statusCodes: {}, seconds, latenciesMs };
}

async function main(): Promise<void> {
  const password = SANDBOX.password;
  const hash = await hashPassword(password);
  process.on('message', (m: { type?: string; seconds?: number; concurrency?: number }) => {
    if (m?.type !== 'run') return;
    run(hash, password, m.seconds ?? 10, m.concurrency ?? 10).then(
      (sample) => send({ type: 'result', sample }),
      (err: unknown) => send({ type: 'error', message: String(err) }),
    );
  });
  onStop(async () => undefined);
  send({ type: 'ready', params: hash.split('$')[3] ?? '' });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
