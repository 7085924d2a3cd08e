import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, type Config } from '../config.js';
import type { Services } from '../app.js';
import { required, type Cli } from './io.js';
import type { Values } from './options.js';

/**
 * `tijori verify upload|start|status|result` (docs/api/verification.md "Bulk jobs", ADR 0043).
 * `upload` is the one most people run: it starts the job, shows its progress until it ends and
 * writes the result CSV. It runs here and asks the server for each step: on the embedded database
 * a running server's admin channel runs `start`, `status` and `result` (ADR 0040) while its
 * workers run the rows; without one (or on PostgreSQL) this process opens the database and runs
 * the rows itself, batch by batch.
 */

const TYPES: Record<string, string> = {
  pan: 'PAN',
  gstin: 'GSTIN',
  aadhaar: 'AADHAAR',
  cin: 'CIN',
  llpin: 'LLPIN',
  'bank-account': 'BANK_ACCOUNT',
  'name-match': 'NAME_MATCH',
};
const SANDBOX_COMPANY = 'CEK1GZBO6A';
const POLL_MS = 500;

interface JobView {
  jobId: string;
  status: string;
  rowsTotal: number;
  rowsDone: number;
  rowsFailed: number;
}

function checkTypeOf(values: Values): string {
  const type = required(values, 'type');
  const checkType = TYPES[type];
  if (!checkType) throw new ConfigError(`--type must be one of ${Object.keys(TYPES).join(', ')} (got "${type}")`);
  return checkType;
}

function fileArgument(args: string[], what: string): string {
  const file = args[0];
  if (file === undefined) throw new ConfigError(`tijori verify ${what} needs a file`);
  return path.resolve(file);
}

const companyOf = (values: Values) => values.company ?? SANDBOX_COMPANY;
const progressLine = (j: JobView) => `${j.jobId}  ${j.status}  ${j.rowsDone}/${j.rowsTotal} rows done, ${j.rowsFailed} failed`;

/** The steps of a job, run on some services: the server's (through the channel, or this command running in it) or this process's own. */
interface Steps {
  start(file: string, checkType: string, values: Values): Promise<JobView>;
  status(jobId: string, values: Values): Promise<JobView>;
  /** Runs rows here when no server runs them; a no-op through a server. */
  advance(jobId: string, values: Values): Promise<void>;
  result(jobId: string, out: string, values: Values): Promise<void>;
  close(): Promise<void>;
}

function onServices(services: Services, close: () => Promise<void>, runsRows: boolean): Steps {
  const bulk = services.verificationBulk;
  const view = async (companyId: string, jobId: string): Promise<JobView> => {
    const { toJobPayload } = await import('../products/verification/bulk/service.js');
    return toJobPayload(await bulk.get(companyId, jobId));
  };
  return {
    async start(file, checkType, values) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new ConfigError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const companyId = companyOf(values);
      if (!(await services.identity.findCompany(companyId))) throw new ConfigError(`no company ${companyId}`);
      const referenceId = values.reference ?? `CLI-${Date.now().toString(36).toUpperCase()}`;
      const { job } = await bulk.upload(
        { checkType: checkType as never, referenceId, consent: 'Y', purpose: values.purpose ?? 'Bulk verification (tijori verify upload)' },
        text,
        { companyId, requestedBy: 'tijori-cli', clientId: companyId, requestIp: null },
      );
      return view(companyId, job.id);
    },
    status: (jobId, values) => view(companyOf(values), jobId),
    async advance(jobId, values) {
      if (!runsRows) return;
      const until = Date.now() + POLL_MS;
      while (Date.now() < until && (await bulk.runBatch(companyOf(values), jobId)) > 0);
    },
    async result(jobId, out, values) {
      fs.writeFileSync(out, await bulk.resultCsv(companyOf(values), jobId));
    },
    close,
  };
}

/** The steps through a running server's admin channel; undefined when no server holds the folder. */
async function throughChannel(config: Config): Promise<Steps | undefined> {
  if (config.databaseUrl) return undefined;
  const { forwardToServer, liveServer } = await import('./admin-channel.js');
  if (!liveServer(config.dataDir)) return undefined;
  const ask = async (argv: string[]): Promise<string> => {
    const answer = await forwardToServer(config.dataDir, argv);
    if (!answer) throw new ConfigError('the server stopped while the job ran');
    if (answer.code !== 0) throw new ConfigError(answer.stderr.replace(/^tijori: /, '').trim());
    return answer.stdout;
  };
  const flags = (values: Values) => ['--company', companyOf(values)];
  const json = (stdout: string) => JSON.parse(stdout) as JobView;
  return {
    async start(file, checkType, values) {
      const type = Object.keys(TYPES).find((k) => TYPES[k] === checkType)!;
      const extra = [...(values.reference ? ['--reference', values.reference] : []), ...(values.purpose ? ['--purpose', values.purpose] : [])];
      return json(await ask(['verify', 'start', file, '--type', type, ...flags(values), ...extra, '--json']));
    },
    status: async (jobId, values) => json(await ask(['verify', 'status', jobId, ...flags(values), '--json'])),
    advance: () => sleep(POLL_MS).then(() => undefined),
    result: async (jobId, out, values) => void (await ask(['verify', 'result', jobId, ...flags(values), '--out', out])),
    close: async () => undefined,
  };
}

/** This process's own services on the configured database (no queue workers: `advance` runs the rows). */
async function ownServices(config: Config, cli: Cli): Promise<Steps> {
  const [{ buildApp }, { systemClock }, { createLogger }, { openConfigured }] = await Promise.all([
    import('../app.js'),
    import('../core/clock/clock.js'),
    import('../core/log/logger.js'),
    import('./database.js'),
  ]);
  const database = await openConfigured(config, cli);
  try {
    const { app, services } = await buildApp({
      config,
      database,
      clock: systemClock,
      logger: createLogger('silent'),
      background: { workers: false, timerPollMs: null },
    });
    await app.ready();
    return onServices(
      services,
      async () => {
        await app.close();
        await database.close();
      },
      true,
    );
  } catch (err) {
    await database.close();
    throw err;
  }
}

async function stepsFor(config: Config, cli: Cli): Promise<Steps> {
  if (cli.io.server) return onServices(cli.io.server.services, async () => undefined, false);
  return (await throughChannel(config)) ?? (await ownServices(config, cli));
}

/** `tijori verify upload|start|status|result`. */
export async function verify(sub: string | undefined, values: Values, config: Config, cli: Cli, args: string[]): Promise<number> {
  const print = (j: JobView) => cli.out(values.json ? JSON.stringify(j) : progressLine(j));
  if (sub === 'start' || sub === 'upload') {
    const file = fileArgument(args, sub);
    const checkType = checkTypeOf(values);
    const out = values.out ? path.resolve(values.out) : `${file.replace(/\.csv$/i, '')}-result.csv`;
    const steps = await stepsFor(config, cli);
    try {
      let job = await steps.start(file, checkType, values);
      print(job);
      if (sub === 'start') return 0;
      let last = job.rowsDone;
      while (job.status === 'QUEUED' || job.status === 'RUNNING') {
        await steps.advance(job.jobId, values);
        job = await steps.status(job.jobId, values);
        if (job.rowsDone !== last || job.status === 'COMPLETED' || job.status === 'CANCELLED') print(job);
        last = job.rowsDone;
      }
      await steps.result(job.jobId, out, values);
      cli.out(`Result: ${out} (${job.rowsTotal} rows, ${job.rowsFailed} failed)`);
      return 0;
    } finally {
      await steps.close();
    }
  }
  const jobId = args[0];
  if (jobId === undefined) throw new ConfigError(`tijori verify ${sub ?? ''} needs a job id`);
  const steps = await stepsFor(config, cli);
  try {
    if (sub === 'status') print(await steps.status(jobId, values));
    else if (sub === 'result') {
      const out = path.resolve(required(values, 'out'));
      await steps.result(jobId, out, values);
      cli.out(`Result: ${out}`);
    } else throw new Error(`no code for "tijori verify ${sub ?? ''}"`);
    return 0;
  } finally {
    await steps.close();
  }
}
