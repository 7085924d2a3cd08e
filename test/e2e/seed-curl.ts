import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { childEnv, get, tempDir } from '../support/process.js';

/**
 * The request sample of the portal page (shared/seed/enkash-portal-user-authentication.txt),
 * character for character, with only the server's origin put in front of /oauth/token.
 */
export function seedCurlCommand(origin: string): string {
  return `curl --location --request POST '${origin}/oauth/token' \\
--header 'Authorization: Basic Q0VLMUdaQk82QTo2NGIwZmYwMzMyZjA1OGI1NjQwMmI2M2E5YmFhNjAyMTRmMmQ2MWQz' \\
--header 'Content-Type: application/x-www-form-urlencoded' \\
--data-urlencode 'username=9167019711' \\
--data-urlencode 'password=Test@1234567' \\
--data-urlencode 'grant_type=password' \\
--data-urlencode 'clientId=CEK1GZBO6A'`;
}

/** Runs `script` with /bin/sh and the real curl, straight to 127.0.0.1 (no proxy of the environment). */
export async function runCurlScript(
  script: string,
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('/bin/sh', ['-c', script], {
    ...(cwd ? { cwd } : {}),
    env: childEnv({
      ...env,
      http_proxy: undefined,
      https_proxy: undefined,
      HTTP_PROXY: undefined,
      HTTPS_PROXY: undefined,
      ALL_PROXY: undefined,
      all_proxy: undefined,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}

/**
 * Runs the seed page's curl command with the real curl binary through /bin/sh. The status code
 * comes from a .curlrc (`write-out`) in a private CURL_HOME, so the command itself stays verbatim.
 */
export async function runSeedCurl(origin: string): Promise<{ status: number; body: unknown; raw: string }> {
  const curlHome = tempDir('tijori-curl-');
  fs.writeFileSync(path.join(curlHome, '.curlrc'), 'write-out = "\\n%{http_code}"\n');
  const { code, stdout, stderr } = await runCurlScript(seedCurlCommand(origin), { CURL_HOME: curlHome });
  if (code !== 0) throw new Error(`curl exited ${code}\n${stderr}\n${stdout}`);
  const cut = stdout.lastIndexOf('\n');
  const raw = stdout.slice(0, cut);
  return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(raw), raw };
}

/** The seed curl answers as the portal page documents, and its token works on GET /api/v0/me. */
export async function expectSeedCurlWorks(origin: string): Promise<string> {
  const { status, body, raw } = await runSeedCurl(origin);
  expect(status, raw).toBe(200);
  const token = body as Record<string, unknown>;
  expect(Object.keys(token)).toEqual(['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope']);
  expect(token['access_token']).toEqual(expect.any(String));
  expect(token['access_token']).not.toBe('');
  expect(token['token_type']).toBe('bearer');
  expect(token['refresh_token']).toEqual(expect.any(String));
  expect(token['refresh_token']).not.toBe('');
  expect([86399, 86400]).toContain(token['expires_in']);
  expect(token['scope']).toBe('read write trust');

  const me = await get(`${origin}/api/v0/me`, { authorization: `Bearer ${token['access_token'] as string}` });
  expect(me.status, JSON.stringify(me.body)).toBe(200);
  expect(me.body).toEqual({
    response_code: 0,
    response_message: 'SUCCESS',
    payload: { companyId: 'CEK1GZBO6A', clientId: 'CEK1GZBO6A', username: '9167019711', scopes: expect.any(Array) },
  });
  expect([...(me.body.payload.scopes as string[])].sort()).toEqual(['read', 'trust', 'write']);
  return token['access_token'] as string;
}
