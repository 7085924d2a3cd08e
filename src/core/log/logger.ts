import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config.js';

/**
 * Paths pino blanks out wherever they appear in a log object: credentials, tokens and card data
 * (DESIGN "Core rules"; PCI DSS 3.3/3.5). Request bodies are never logged, this is the backstop.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.merchantaccesskey',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'secretKey',
  '*.secretKey',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'cardNumber',
  '*.cardNumber',
  'cvv',
  '*.cvv',
  'expiry',
  '*.expiry',
];

/** Query parameters whose values never reach a log line (Spring's check_token takes `?token=`). */
const SENSITIVE_QUERY_KEYS = new Set(['token', 'access_token', 'refresh_token', 'password', 'client_secret', 'secretkey', 'cardnumber', 'cvv']);

/**
 * The URL with the values of sensitive query parameters replaced. Keys are compared decoded, as
 * the server reads them, so `pass%77ord=` is caught as well as `password=`.
 */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      key = rawKey;
    }
    return SENSITIVE_QUERY_KEYS.has(key.toLowerCase()) ? `${rawKey}=[Redacted]` : pair;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url === undefined ? undefined : scrubUrl(req.url),
        remoteAddress: req.ip,
      }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
