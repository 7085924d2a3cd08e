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

/** How much of a `bin` query parameter a log line keeps: the issuer's BIN, never the rest of a typed card number. */
const BIN_DIGITS_LOGGED = 8;

/** Query parameters whose values never reach a log line (Spring's check_token takes `?token=`). */
const SENSITIVE_QUERY_KEYS = new Set(['token', 'access_token', 'refresh_token', 'password', 'client_secret', 'secretkey', 'cardnumber', 'cvv']);

/**
 * The URL with card numbers masked and the values of sensitive query parameters replaced. Keys are
 * compared decoded, as the server reads them, so `pass%77ord=` is caught as well as `password=`.
 */
export function scrubUrl(url: string): string {
  return scrubQuery(maskCardNumbers(url));
}

/** A digit run of a card number's length that passes the Luhn check. */
export function looksLikeCardNumber(run: string): boolean {
  let sum = 0;
  for (let i = 0; i < run.length; i++) {
    let d = run.charCodeAt(run.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A card number a client put in a path or query (an id parameter, a search) is masked to its BIN
 * and last four digits before the URL reaches a log line (PCI DSS 3.4).
 */
function maskCardNumbers(url: string): string {
  return url.replace(/(?<!\d)\d{13,19}(?!\d)/g, (run) => (looksLikeCardNumber(run) ? `${run.slice(0, 6)}${'*'.repeat(run.length - 10)}${run.slice(-4)}` : run));
}

function scrubQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        key = rawKey;
      }
      if (SENSITIVE_QUERY_KEYS.has(key.toLowerCase())) return `${rawKey}=[Redacted]`;
      // The SDK's BIN lookup sends every digit typed so far: all but a card number's check digit. The BIN stays.
      if (key.toLowerCase() === 'bin' && eq >= 0)
        return `${rawKey}=${pair.slice(eq + 1, eq + 1 + BIN_DIGITS_LOGGED)}${pair.length > eq + 1 + BIN_DIGITS_LOGGED ? '*' : ''}`;
      return pair;
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
