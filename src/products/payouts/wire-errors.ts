import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../core/errors/app-error.js';
import { envelopeErrorHandler } from '../../core/http/envelope.js';
import { InvalidAmountError } from '../../core/money/index.js';
import { PayoutInvalidClientIdError, PayoutInvalidFieldError, PayoutsNotEnabledError } from './errors.js';

/**
 * EnKash's payout APIs answer a field that breaks its rule with 422 and a "Please provide a valid
 * …" message (reference §1.4, §3); the platform's schema check says 400 "Invalid field …". This
 * turns a schema rejection, and a money field that is no amount (core/money), into that 422,
 * naming the field as the request spelled it.
 */
export function payoutFieldError(err: unknown): unknown {
  if ((err instanceof InvalidAmountError || err instanceof ValidationError) && err.param !== undefined) {
    return new PayoutInvalidFieldError(`Please provide a valid ${err.param}: ${err.message.replace(/^Invalid field [^:]+: /, '')}`, { param: err.param });
  }
  const fe = err as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    const first = fe.validation[0];
    const parts = first ? first.instancePath.split('/').filter(Boolean) : [];
    const missing = first?.params['missingProperty'];
    const extra = first?.params['additionalProperty'];
    if (typeof extra === 'string') return new PayoutInvalidFieldError(`Unknown field ${[...parts, extra].join('.')}`, { param: extra });
    const field = typeof missing === 'string' ? [...parts, missing].join('.') : parts.join('.') || (fe.validationContext ?? 'body');
    const why = typeof missing === 'string' ? 'it is required' : (first?.message ?? 'failed validation');
    return new PayoutInvalidFieldError(`Please provide a valid ${field}: ${why}`, { param: field });
  }
  return err;
}

/** The payouts scope's error handler: field errors as EnKash's 422, then the one envelope mapper. */
export function payoutsErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  envelopeErrorHandler(payoutFieldError(err), request, reply);
}

/**
 * EnKash's 422 "Invalid Client ID" (reference §1.4): a payouts call that names a client in a
 * `clientId` header (the field EnKash's token request carries) other than the token's. A call
 * without the header is judged by its token alone.
 */
export async function checkClientIdHeader(request: FastifyRequest): Promise<void> {
  const named = request.headers['clientid'];
  if (named === undefined || !request.principal) return;
  if (named !== request.principal.clientId) throw new PayoutInvalidClientIdError('Invalid Client ID', { param: 'clientId' });
}

/**
 * EnKash's 403 "APIs not enabled" (reference §1.4): a client whose payout APIs the operator turned
 * off (`tijori client set-payouts`). An `onRequest` hook after the bearer check, so it comes before
 * the body is read, unwrapped, validated or made idempotent: nothing changes, and the refusal is
 * plain JSON like the bearer check's own (ADR 0036). The flag rides on the token lookup.
 */
export async function checkPayoutsEnabled(request: FastifyRequest): Promise<void> {
  if (request.principal && !request.principal.payoutsEnabled) throw new PayoutsNotEnabledError('APIs not enabled');
}
