import type { FastifyError } from 'fastify';
import { AppError } from '../errors/app-error.js';

export interface WireError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

const FRAMEWORK_MESSAGES: Record<string, (contentType: string) => [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (type) => [415, 'unsupported_media_type', `Unsupported Content-Type: ${type.split(';')[0]?.trim() || 'none'}`],
  FST_ERR_CTP_BODY_TOO_LARGE: () => [413, 'payload_too_large', 'Request body is too large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: () => [400, 'malformed_body', 'Request body is empty but Content-Type is application/json'],
  FST_ERR_CTP_INVALID_JSON_BODY: () => [400, 'malformed_body', 'Request body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => [400, 'malformed_body', 'Content-Length does not match the body'],
  // Router errors (app.ts `frameworkErrors`); the message never repeats the path.
  FST_ERR_BAD_URL: () => [400, 'malformed_url', 'The request path is not a valid URL (bad percent-encoding)'],
  FST_ERR_MAX_PARAM_LENGTH: () => [414, 'path_parameter_too_long', 'A path parameter is longer than 100 characters'],
};

/**
 * Turns anything thrown into a status, a stable code, a safe message and headers. AppErrors
 * carry their own; framework errors (parsing, validation) get a clear 4xx; anything else is a
 * 500 whose detail goes only to the log.
 */
export function toWireError(err: unknown, contentType = ''): WireError {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, headers: err.headers };
  const fe = err as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    return { status: 400, code: 'validation_failed', message: validationMessage(fe), headers: {} };
  }
  const known = fe?.code ? FRAMEWORK_MESSAGES[fe.code] : undefined;
  if (known) {
    const [status, code, message] = known(contentType);
    return { status, code, message, headers: {} };
  }
  if (fe instanceof SyntaxError || (typeof fe?.statusCode === 'number' && fe.statusCode === 400)) {
    return { status: 400, code: 'malformed_body', message: 'Request body could not be parsed', headers: {} };
  }
  return { status: 500, code: 'internal_error', message: 'Internal server error', headers: {} };
}

/** "Missing required field payer.vpa", "Unknown field foo", "Invalid field amount: must be number". */
function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  if (!first) return `Invalid ${err.validationContext ?? 'request'}`;
  const parts = first.instancePath.split('/').filter(Boolean);
  const missing = first.params['missingProperty'];
  const extra = first.params['additionalProperty'];
  if (typeof missing === 'string') return `Missing required field ${[...parts, missing].join('.')}`;
  if (typeof extra === 'string') return `Unknown field ${[...parts, extra].join('.')}`;
  const where = parts.length > 0 ? `field ${parts.join('.')}` : (err.validationContext ?? 'body');
  return `Invalid ${where}: ${first.message ?? 'failed validation'}`;
}
