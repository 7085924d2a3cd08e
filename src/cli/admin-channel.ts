import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { isProcessAlive } from '../core/db/data-dir-lock.js';

/**
 * The admin channel of a server on the embedded database (ADR 0040). PGlite lets one process open
 * a data folder, and `tijori start` holds it; so that `tijori user unlock`, `merchant-key create`,
 * `ledger verify`… work while it runs, the server listens on 127.0.0.1 (a port of its own, never
 * the API's interface) and writes `<data>/admin.json` (mode 0600: its pid, port and a random
 * token). An admin command finds the file, sends its argv with the token, and prints the answer;
 * the server runs the command with its own database and services. Only the folder's owner can
 * read the token; the channel is not logged (argv may hold a password).
 *
 * The file's pid may be alive and its port taken by another process (the server died, its pid and
 * port were reused), so the command first challenges the port (ADR 0047): it sends a random nonce
 * to `/challenge`, and the server answers HMAC-SHA256(token, nonce). Only a process holding the
 * token can answer; the command sends the token and argv after checking that answer.
 */

export interface CommandAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

interface ChannelFile {
  pid: number;
  port: number;
  token: string;
}

const FILE = 'admin.json';
const MAX_BODY_BYTES = 64 * 1024;

export function channelFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

/** The server's answer to a nonce: proves it holds the token without sending it (domain-separated). */
function proofOf(token: string, nonce: string): Buffer {
  return crypto.createHmac('sha256', token).update(`tijori-admin-challenge:${nonce}`).digest();
}

/** Reads a small JSON body; undefined when it is too large or no JSON. */
function readJson(request: http.IncomingMessage, done: (body: Record<string, unknown> | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) request.destroy();
    else chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      done(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined);
    } catch {
      done(undefined);
    }
  });
}

/** Opens the channel and writes its file; close() stops it and removes the file. */
export async function openAdminChannel(dataDir: string, runCommand: (argv: string[]) => Promise<CommandAnswer>): Promise<{ close(): Promise<void> }> {
  const token = crypto.randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'POST' && request.url === '/challenge') {
      return readJson(request, (body) => {
        const nonce = body?.['nonce'];
        if (typeof nonce !== 'string' || !/^[0-9a-f]{64}$/.test(nonce)) return answer(400, { error: 'nonce must be 64 hexadecimal characters' });
        answer(200, { proof: proofOf(token, nonce).toString('hex') });
      });
    }
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return answer(401, { error: 'unauthorized' });
    if (request.method !== 'POST' || request.url !== '/run') return answer(404, { error: 'not found' });
    readJson(request, (body) => {
      const argv = body?.['argv'];
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) return answer(400, { error: 'argv must be an array of strings' });
      runCommand(argv).then(
        (result) => answer(200, result),
        (err: unknown) => answer(200, { code: 1, stdout: '', stderr: `tijori: ${err instanceof Error ? err.message : String(err)}\n` }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const file = channelFile(dataDir);
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify({ pid: process.pid, port, token } satisfies ChannelFile), { mode: 0o600 });
  fs.renameSync(partial, file);
  return {
    async close() {
      try {
        const current = JSON.parse(fs.readFileSync(file, 'utf8')) as ChannelFile;
        if (current.token === token) fs.rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The channel file of a live server on `dataDir`, if there is one. */
export function liveServer(dataDir: string): ChannelFile | undefined {
  let channel: ChannelFile;
  try {
    channel = JSON.parse(fs.readFileSync(channelFile(dataDir), 'utf8')) as ChannelFile;
  } catch {
    return undefined;
  }
  return Number.isInteger(channel.pid) && isProcessAlive(channel.pid) ? channel : undefined;
}

/**
 * Sends `argv` to the server running on `dataDir`, when there is one: undefined when no live server
 * left a channel file (the command then opens the folder itself). A channel file whose server
 * stopped answering is an error naming it, not a silent fallback.
 */
export async function forwardToServer(dataDir: string, argv: string[]): Promise<CommandAnswer | undefined> {
  const channel = liveServer(dataDir);
  if (!channel) return undefined;
  const base = `http://127.0.0.1:${channel.port}`;
  const unreachable = (err: unknown): CommandAnswer => ({
    code: 1,
    stdout: '',
    stderr: `tijori: the server running on ${dataDir} (pid ${channel.pid}) did not answer on its admin channel (${(err as Error).message}); stop it and run the command again\n`,
  });
  // Before the token leaves this process, whoever listens on the port proves that it holds it.
  const nonce = crypto.randomBytes(32).toString('hex');
  let proof: unknown;
  try {
    const challenged = await fetch(`${base}/challenge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce }) });
    proof = challenged.status === 200 ? ((await challenged.json()) as { proof?: unknown }).proof : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) proof = undefined;
    else return unreachable(err);
  }
  const expected = proofOf(channel.token, nonce);
  const given = typeof proof === 'string' && /^[0-9a-f]{64}$/.test(proof) ? Buffer.from(proof, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return {
      code: 1,
      stdout: '',
      stderr:
        `tijori: the process listening on 127.0.0.1:${channel.port} is not the server that wrote ${channelFile(dataDir)} (it could not prove it holds the file's token), ` +
        `so the command was not sent; if no server runs on ${dataDir}, remove that file\n`,
    };
  }
  let response: Response;
  try {
    response = await fetch(`${base}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv }),
    });
  } catch (err) {
    return unreachable(err);
  }
  if (response.status !== 200) return { code: 1, stdout: '', stderr: `tijori: the server's admin channel refused the command (HTTP ${response.status})\n` };
  return (await response.json()) as CommandAnswer;
}
