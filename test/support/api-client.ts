import { SANDBOX } from '../../src/auth/seed.js';
import { SEED_BASIC } from './oauth.js';
import { postForm } from './process.js';

export interface ApiAnswer {
  status: number;
  json: { response_code: number; response_message: string; payload: Record<string, unknown> };
}

/** JSON calls to a running server's /api as the seeded sandbox user (password grant over real HTTP). */
export async function sandboxApi(
  baseUrl: () => string,
): Promise<{ call(method: string, path: string, body?: object): Promise<ApiAnswer>; relogin(): Promise<void> }> {
  let bearer = '';
  const relogin = async () => {
    const res = await postForm(
      `${baseUrl()}/oauth/token`,
      { username: SANDBOX.username, password: SANDBOX.password, grant_type: 'password', clientId: SANDBOX.companyId },
      SEED_BASIC,
    );
    if (res.status !== 200) throw new Error(`password grant failed: ${res.status} ${JSON.stringify(res.body)}`);
    bearer = `Bearer ${(res.body as { access_token: string }).access_token}`;
  };
  await relogin();
  return {
    relogin,
    async call(method, path, body) {
      const res = await fetch(`${baseUrl()}${path}`, {
        method,
        headers: { authorization: bearer, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as ApiAnswer['json'] };
    },
  };
}
