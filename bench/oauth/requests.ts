/** The token requests of the OAuth benchmark: bodies, answers and the pools of users and refresh tokens they draw on. */
import { SANDBOX } from '../../src/auth/seed.js';
import { envNumber } from '../lib/env.js';
import { OIDC_CLIENT } from './constants.js';
export const FORM = 'application/x-www-form-urlencoded';

export interface Settings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  minRefreshFamilies: number;
  passwordUsers: number;
  cpuProfileDir: string | undefined;
}

export function settingsFromEnv(): Settings {
  const connections = Math.floor(envNumber('BENCH_CONNECTIONS', 10, 1));
  return {
    seconds: envNumber('BENCH_DURATION_SECONDS', 10, 1),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, 0),
    connections,
    minRefreshFamilies: Math.max(Math.floor(envNumber('BENCH_REFRESH_MIN_FAMILIES', 100, 1)), connections * 4),
    passwordUsers: Math.max(Math.floor(envNumber('BENCH_PASSWORD_USERS', connections * 2, 1)), connections + 1),
    cpuProfileDir: process.env['BENCH_TIJORI_CPU_PROFILE_DIR'] || undefined,
  };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export const TIJORI_AUTH = basic(SANDBOX.companyId, SANDBOX.clientSecret);
export const OIDC_AUTH = basic(OIDC_CLIENT.id, OIDC_CLIENT.secret);
export const passwordBody = (username: string) => new URLSearchParams({ grant_type: 'password', username, password: SANDBOX.password }).toString();
export const PASSWORD_BODY = passwordBody(SANDBOX.username);
/** Users of the password runs (one per request in flight) and of the same-user concurrency check. */
export const benchUser = (i: number) => `bench-user-${i}@bench.tijori.test`;
export const SAME_USER = 'bench-same-user@bench.tijori.test';
export const CLIENT_CREDENTIALS_BODY = 'grant_type=client_credentials';
export const refreshBody = (token: string) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function postToken(url: string, authorization: string, body: string): Promise<TokenAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': FORM }, body });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { raw: text } };
  }
}

export function expectToken(what: string, answer: TokenAnswer, withRefresh: boolean): void {
  const ok = answer.status === 200 && typeof answer.body['access_token'] === 'string' && (!withRefresh || typeof answer.body['refresh_token'] === 'string');
  if (!ok) throw new Error(`${what}: expected 200 with a token, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

/**
 * Users lent to password requests: a request takes a user nobody else is logging in as and gives
 * it back with its answer, so no two logins of one user are ever in flight together (many users
 * logging in at once, as in production; one user's parallel logins are checked separately).
 */
export class UserLeases {
  private readonly free: string[];
  overflow = 0;
  constructor(private readonly users: string[]) {
    this.free = [...users];
  }
  take(context: Record<string, unknown>): string {
    // A request lost to a socket error never gives its user back; then fall back to round-robin.
    const user = this.free.shift() ?? this.users[this.overflow++ % this.users.length]!;
    context['user'] = user;
    return user;
  }
  give(context: Record<string, unknown>): void {
    const user = context['user'];
    if (typeof user === 'string' && !this.free.includes(user)) this.free.push(user);
  }
}

/** A FIFO of unused refresh tokens: each request takes one, each 200 puts the rotated successor back. */
export class RefreshPool {
  private tokens: string[] = [];
  private head = 0;
  presented = 0;
  exhausted = 0;
  readonly families = new Set<string>();

  get size(): number {
    return this.tokens.length - this.head;
  }
  put(token: string): void {
    this.tokens.push(token);
    if (this.head > 100_000) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }
  take(): string {
    if (this.size === 0) {
      this.exhausted++;
      return 'pool-exhausted';
    }
    this.presented++;
    return this.tokens[this.head++]!;
  }
}

export function keepRefreshToken(pool: RefreshPool, countFamily: boolean) {
  return (status: number, body: string) => {
    if (status !== 200) return;
    try {
      const token = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
      if (typeof token === 'string') {
        pool.put(token);
        if (countFamily) pool.families.add(token);
      }
    } catch {
      // Not JSON: the status check of the run reports it.
    }
  };
}
