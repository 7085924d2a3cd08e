/**
 * A worker process for the queue tests: our job queue on the PostgreSQL of DATABASE_URL, with one
 * handler that records each run in `job_runs` (created by the test). Prints "ready" once polling.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/core/db/engine.js';
import { createJobQueue } from '../../src/core/jobs/queue.js';
import { createLogger } from '../../src/core/log/logger.js';

const name = process.argv[2] ?? 'worker';
const database = await openDatabase({ kind: 'postgres', url: process.env['DATABASE_URL']!, poolSize: 4 });
const jobs = createJobQueue({ database, logger: createLogger('error') });
await jobs.work<{ key: string }>('test.count', async (data, job) => {
  // A little work, so that both workers hold jobs at the same time.
  await new Promise((resolve) => setTimeout(resolve, 2));
  await database.db.execute(sql`insert into job_runs (job_key, job_id, worker) values (${data.key}, ${job.id}, ${name})`);
});
await jobs.start({ workers: true });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void jobs
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
