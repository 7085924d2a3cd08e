import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { envelopeErrorHandler } from '../../../core/http/envelope.js';
import { PaymentModeNotEnabledError, validationRejection } from '../index.js';
import { CheckoutCodeNotOfferedError } from './errors.js';

/**
 * Refuses a netbanking, wallet or pay-later choice the checkout does not take: a mode that is off
 * (`payment_mode_not_enabled`) or a code it does not offer (`checkout_code_not_offered`), both
 * answered as resultCode 158 by `chargeRejection` (ADR 0045).
 */
export function refuseRedirectChoice(mode: string, code: string, enabledModes: readonly string[], offered: readonly { code: string }[]): void {
  if (!enabledModes.includes(mode)) throw new PaymentModeNotEnabledError(`Payment mode ${mode} is not enabled for this merchant`, { param: 'paymentMode' });
  if (!offered.some((o) => o.code === code))
    throw new CheckoutCodeNotOfferedError(`Unknown ${mode === 'NET_BANKING' ? 'bank' : 'provider'} code ${code}`, { param: 'bankCode' });
}

/**
 * The error handler of `POST /pay/charge/process`. An input-validation rejection of the payment
 * detail answers as EnKash's charge does and the SDK reads it (reference §1.4, §2.4, CONFIRMED-SDK):
 * HTTP 200, a bare body with `resultCode` 156 or 158 and `resultMessage`, no `error` and no
 * `redirectionUrl`, so the SDK keeps the attempt open for the customer to fix the form (a 4xx
 * would be reported as a gateway failure). Nothing was changed. Every other error keeps the
 * envelope. docs/api/gateway-checkout.md, ADR 0037.
 */
export function chargeRejection(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const rejected = validationRejection(err);
  if (!rejected) {
    envelopeErrorHandler(err, request, reply);
    return;
  }
  request.log.info({ code: rejected.code, resultCode: rejected.resultCode }, rejected.resultMessage);
  const transactionId = (request.body as { transactionId?: unknown } | undefined)?.transactionId;
  void reply
    .code(200)
    .header('x-error-code', rejected.code)
    .type('application/json; charset=utf-8')
    // A string: the route's 200 schema (the success envelope) does not serialize this body.
    .send(
      JSON.stringify({
        transactionId: typeof transactionId === 'string' ? transactionId : null,
        transactionStatus: null,
        redirectionUrl: null,
        resultCode: rejected.resultCode,
        resultMessage: rejected.resultMessage,
        error: null,
      }),
    );
}
