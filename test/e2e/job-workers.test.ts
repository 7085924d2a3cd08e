import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db/engine.js';
import { withTransaction } from '../../src/core/db/transaction.js';
import { createJobQueue } from '../../src/core/jobs/queue.js';
import { createLogger } from '../../src/core/log/logger.js';
import { createTestDatabase, queryRows } from '../support/app.js';
import { ROOT, childEnv, cleanup, createPostgresDatabase } from '../support/process.js';

// Two processes sharing one queue need a server: PostgreSQL only, when TEST_DATABASE_URL names
// one (CI's second run). PGlite allows a single process per data folder, so on the embedded
// database two independent queue instances (two pg-boss workers) share one database in this process.
const adminUrl = process.env['TEST_DATABASE_URL'];
const JOBS = 1000;

afterAll(cleanup);

if (!adminUrl) {
  describe('two queue workers on one embedded database', { timeout: 300_000 }, () => {
    it(`run ${JOBS} jobs with no job done twice`, async () => {
      const database = await createTestDatabase();
      const workers: ReturnType<typeof createJobQueue>[] = [];
      try {
        await database.db.execute(sql`create table job_runs (job_key text not null, job_id text not null, worker text not null)`);
        for (const name of ['worker-a', 'worker-b']) {
          const jobs = createJobQueue({ database, logger: createLogger('error') });
          await jobs.work<{ key: string }>('test.count', async (data, job) => {
            await new Promise((resolve) => setTimeout(resolve, 2));
            await database.db.execute(sql`insert into job_runs (job_key, job_id, worker) values (${data.key}, ${job.id}, ${name})`);
          });
          workers.push(jobs);
        }
        await workers[0]!.start({ workers: true });
        for (let batch = 0; batch < JOBS / 100; batch++) {
          await withTransaction(database.db, async (tx) => {
            for (let i = 0; i < 100; i++) await workers[0]!.enqueue(tx, 'test.count', { key: `job-${batch * 100 + i}` });
          });
        }
        await workers[1]!.start({ workers: true });
        await expectEveryJobOnce(database, ['worker-a', 'worker-b']);
      } finally {
        for (const jobs of workers) await jobs.stop();
        await database.close();
      }
    });
  });
}

/** Waits until every job ran, then checks that none ran twice and that each worker took part. */
async function expectEveryJobOnce(database: Database, names: string[]): Promise<void> {
  const deadline = Date.now() + 240_000;
  let done = 0;
  while (done < JOBS && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    done = Number((await queryRows<{ n: string | number }>(database, sql`select count(distinct job_key) as n from job_runs`))[0]!.n);
  }
  // Let any duplicate that was in flight land before counting.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rows = await queryRows<{ runs: string | number; keys: string | number; worst: string | number }>(
    database,
    sql`select count(*) as runs, count(distinct job_key) as keys, coalesce(max(c), 0) as worst
        from job_runs, lateral (select count(*) as c from job_runs r where r.job_key = job_runs.job_key) x`,
  );
  const perWorker = await queryRows<{ worker: string; n: string | number }>(
    database,
    sql`select worker, count(*) as n from job_runs group by worker order by worker`,
  );
  expect(Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]))).toEqual({ runs: JOBS, keys: JOBS, worst: 1 });
  // Both workers took part, so the absence of duplicates was tested under contention.
  expect(perWorker.map((w) => w.worker)).toEqual(names);
  for (const w of perWorker) expect(Number(w.n)).toBeGreaterThan(0);
}

if (adminUrl) {
  describe('two worker processes on one queue', { timeout: 300_000 }, () => {
    it(`run ${JOBS} jobs with no job done twice`, async () => {
      const scratch = await createPostgresDatabase();
      const database = await openDatabase({ kind: 'postgres', url: scratch.url });
      const children: ReturnType<typeof spawn>[] = [];
      try {
        await database.migrate();
        await database.db.execute(sql`create table job_runs (job_key text not null, job_id text not null, worker text not null)`);
        const jobs = createJobQueue({ database, logger: createLogger('error') });
        await jobs.work('test.count', async () => {
          throw new Error('this process only enqueues');
        });
        await jobs.start({ workers: false });
        for (let batch = 0; batch < JOBS / 100; batch++) {
          await withTransaction(database.db, async (tx) => {
            for (let i = 0; i < 100; i++) await jobs.enqueue(tx, 'test.count', { key: `job-${batch * 100 + i}` });
          });
        }
        await jobs.stop();

        for (const name of ['worker-a', 'worker-b']) {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/job-worker.ts'), name], {
            cwd: ROOT,
            env: childEnv({ DATABASE_URL: scratch.url }),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('close', (code) => {
            if (code !== 0 && code !== null) process.stderr.write(`${name} exited ${code}: ${stderr}\n`);
          });
          children.push(child);
        }
        await expectEveryJobOnce(database, ['worker-a', 'worker-b']);
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('close', resolve)))));
        await database.close();
        await scratch.drop();
      }
    });
  });
}
