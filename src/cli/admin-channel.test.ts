import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelFile, forwardToServer, openAdminChannel } from './admin-channel.js';

/**
 * The admin channel's challenge (ADR 0047): a command sends the token from `admin.json` only to a
 * process that proves it holds it. The impostor is a real HTTP server on loopback that took the
 * file's port (as a process that got a dead server's port would), and records what it receives.
 */
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-admin-'));
  dirs.push(dir);
  return dir;
}

describe('admin channel challenge', () => {
  it('the server that wrote the file answers the challenge and runs the command', async () => {
    const dir = dataDir();
    const channel = await openAdminChannel(dir, async (argv) => ({ code: 0, stdout: `ran ${argv.join(' ')}\n`, stderr: '' }));
    closers.push(() => channel.close());
    expect(await forwardToServer(dir, ['user', 'unlock', '--username', 'a@example.com'])).toEqual({
      code: 0,
      stdout: 'ran user unlock --username a@example.com\n',
      stderr: '',
    });
  });

  it('a process on the file’s port that cannot prove it holds the token never receives the token or the command', async () => {
    const dir = dataDir();
    const received: string[] = [];
    const impostor = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)} ${Buffer.concat(chunks).toString('utf8')}`);
        // It answers like the channel would, with a made-up proof.
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ proof: 'ab'.repeat(32), code: 0, stdout: '', stderr: '' }));
      });
    });
    await new Promise<void>((resolve) => impostor.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    closers.push(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
    const token = 'c0ffee'.repeat(10) + 'c0ff';
    const port = (impostor.address() as { port: number }).port;
    // The pid is alive (this process), as a reused pid would be.
    fs.writeFileSync(channelFile(dir), JSON.stringify({ pid: process.pid, port, token }), { mode: 0o600 });

    const answer = await forwardToServer(dir, ['user', 'create', '--password', 'Secret@123']);
    expect(answer?.code).toBe(1);
    expect(answer?.stderr).toContain(`is not the server that wrote ${channelFile(dir)}`);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^POST \/challenge /);
    for (const line of received) {
      expect(line).not.toContain(token);
      expect(line).not.toContain('Secret@123');
    }
  });

  it('a live channel whose token is not the file’s (another server’s file) is refused as well', async () => {
    const dir = dataDir();
    let ran = 0;
    const channel = await openAdminChannel(dir, async () => ((ran += 1), { code: 0, stdout: '', stderr: '' }));
    closers.push(() => channel.close());
    const written = JSON.parse(fs.readFileSync(channelFile(dir), 'utf8')) as { pid: number; port: number; token: string };
    fs.writeFileSync(channelFile(dir), JSON.stringify({ ...written, token: 'f'.repeat(64) }), { mode: 0o600 });
    const answer = await forwardToServer(dir, ['ledger', 'verify']);
    expect(answer?.code).toBe(1);
    expect(answer?.stderr).toContain('could not prove it holds');
    expect(ran).toBe(0);
  });
});
