import autocannon from 'autocannon';
import type { Sample } from './stats.js';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Per-request body (e.g. a different refresh token each time); replaces `body`. `context` is
   * this request's own object, handed again to `onResponse` for its answer (autocannon's context).
   */
  nextBody?: (context: Record<string, unknown>) => string;
  /** Per-request path (e.g. a different resource id each time); replaces the path of `url`. */
  nextPath?: (context: Record<string, unknown>) => string;
  /** Sees every answer's status and body (e.g. to keep the rotated refresh token). */
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

/**
 * Runs autocannon for `seconds` and returns the sample. Latencies are taken from the 'response'
 * events (sub-millisecond floats; autocannon's own histogram keeps whole milliseconds only), and
 * only for 2xx answers, as autocannon does.
 */
export async function runLoad(options: LoadOptions): Promise<Sample> {
  const latenciesMs: number[] = [];
  const request: autocannon.Request = {
    method: options.method ?? 'POST',
    path: new URL(options.url).pathname,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
  const { nextBody, nextPath } = options;
  if (nextBody || nextPath) {
    request.setupRequest = (req, context) => ({
      ...req,
      ...(nextBody ? { body: nextBody(context) } : {}),
      ...(nextPath ? { path: nextPath(context) } : {}),
    });
  }
  const onResponse = options.onResponse;
  if (onResponse) request.onResponse = (status, body, context) => onResponse(status, body, context);

  const instance = autocannon({
    url: new URL(options.url).origin,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 30,
    requests: [request],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
  });
  const result = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors, // includes timeouts
    statusCodes,
    seconds: result.duration,
    latenciesMs,
  };
}
