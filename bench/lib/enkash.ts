import { SANDBOX } from '../../src/auth/seed.js';
import { getJson } from './http.js';
import { runLoad } from './load.js';
import { fixed, summarize, table, type Sample, type Summary } from './stats.js';

/** The sandbox user's password-grant token (docs/api/oauth.md), as an EnKash API client gets one. */
export async function sandboxPasswordToken(origin: string): Promise<string> {
  const answer = await getJson(`${origin}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${SANDBOX.companyId}:${SANDBOX.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'password', username: SANDBOX.username, password: SANDBOX.password }).toString(),
  });
  if (answer.status !== 200 || typeof answer.body['access_token'] !== 'string')
    throw new Error(`password grant: ${answer.status} ${JSON.stringify(answer.body)}`);
  return `Bearer ${answer.body['access_token']}`;
}

/**
 * POSTs of `nextBody()` for `seconds`. An answer counts when it is 200 with `response_code` 0: a
 * business failure (a 200 with another response_code) is counted as failed, under `response_code 1`.
 */
export async function runEnvelopeLoad(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  nextBody: () => string;
}): Promise<Sample> {
  let refused = 0;
  const sample = await runLoad({
    ...options,
    onResponse: (status, body) => {
      if (status === 200 && !body.includes('"response_code":0')) refused++;
    },
  });
  return {
    ...sample,
    ok: sample.ok - refused,
    non2xx: sample.non2xx + refused,
    statusCodes: refused > 0 ? { ...sample.statusCodes, 'response_code 1': refused } : sample.statusCodes,
  };
}

/**
 * Timed runs kept by key: `timed(key, label, run)` warms up for `warmupSeconds`, then keeps a sample
 * of `seconds` under `key` and logs its rate (and its failures, if any); `report()` summarizes them.
 */
export function timedRuns(settings: { seconds: number; warmupSeconds: number }, log: (line: string) => void) {
  const samples = new Map<string, Sample[]>();
  const timed = async (key: string, label: string, run: (seconds: number) => Promise<Sample>) => {
    log(`running ${label} ...`);
    if (settings.warmupSeconds > 0) await run(settings.warmupSeconds);
    const sample = await run(settings.seconds);
    samples.set(key, [...(samples.get(key) ?? []), sample]);
    const bad = sample.non2xx + sample.errors;
    log(
      `  ${label}: ${fixed(sample.ok / sample.seconds)} /s` +
        (bad > 0 ? `   !! ${sample.non2xx} failed, ${sample.errors} errors ${JSON.stringify(sample.statusCodes)}` : ''),
    );
  };
  /** Each key's runs summarized, logged as one table. */
  const report = (): Map<string, Summary> => {
    const summaries = new Map([...samples].map(([key, s]) => [key, summarize(s)]));
    log('');
    log(
      table(
        ['scenario', 'ops/s', 'runs ops/s', 'p50 ms', 'p99 ms', 'ok', 'failed', 'errors'],
        [...summaries].map(([key, s]) => [
          key,
          fixed(s.ratePerSecond),
          s.runRates.map((r) => fixed(r, 0)).join(' / '),
          fixed(s.p50Ms, 2),
          fixed(s.p99Ms, 2),
          s.ok,
          s.non2xx,
          s.errors,
        ]),
      ),
    );
    return summaries;
  };
  return { samples, timed, report };
}
