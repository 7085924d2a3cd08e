import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, startInProcess } from '../support/cli.js';
import { cleanup, tempDir } from '../support/process.js';

// `tijori verify upload` beside a server running on the embedded database (ADR 0043): the command
// asks the server through its admin channel (ADR 0040), step by step, so that the progress shows
// while the server's workers run the rows; a relative FILE is the user's, not the server's.

afterAll(cleanup, 120_000);

describe('tijori verify upload beside a running server (embedded database)', { timeout: 180_000 }, () => {
  it('starts the job in the server, prints its progress, and writes the result beside the file', async () => {
    const dataDir = tempDir();
    const work = tempDir('tijori-verify-');
    const file = path.join(work, 'vendors.csv');
    fs.writeFileSync(file, 'pan,name\nAAJPS2345Q,Ravi Kumar Sharma\nNOTAPAN,\n');
    const server = await startInProcess({ dataDir });
    try {
      const r = await runInProcess(['verify', 'upload', path.relative(process.cwd(), file), '--type', 'pan', '--data-dir', dataDir]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^VBJ_\w+ {2}QUEUED {2}1\/2 rows done, 1 failed$/);
      expect(lines.at(-2)).toMatch(/^VBJ_\w+ {2}COMPLETED {2}2\/2 rows done, 1 failed$/);
      expect(lines.at(-1)).toBe(`Result: ${path.join(work, 'vendors-result.csv')} (2 rows, 1 failed)`);
      const result = fs.readFileSync(path.join(work, 'vendors-result.csv'), 'utf8').split('\r\n');
      expect(result[1]).toMatch(/^1,CLI-\w+-1,AAJPS2345Q,VALID,VRF_\w+,The PAN is valid$/);
      expect(result[2]).toMatch(/^2,CLI-\w+-2,NOTAPAN,FAILED,,/);
      // The job is the server's: its status is read through the channel too.
      const jobId = /^(VBJ_\w+)/.exec(lines[0]!)![1]!;
      const status = await runInProcess(['verify', 'status', jobId, '--json', '--data-dir', dataDir]);
      expect(JSON.parse(status.stdout)).toMatchObject({ jobId, status: 'COMPLETED', rowsTotal: 2 });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
