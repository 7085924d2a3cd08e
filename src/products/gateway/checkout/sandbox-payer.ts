import { runAfterCommit } from '../../../core/db/transaction.js';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { SandboxOnlyError } from '../../../core/clock/errors.js';
import { envelope, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import type { Gateway } from '../index.js';
import { errors, keyQuery, tag, transactionIdParams, upiStatusResponse } from './schemas.js';
import type { CheckoutService } from './service.js';

export const sandboxPayerBody = Type.Object(
  {
    answer: Type.Union([Type.Literal('PAY'), Type.Literal('DECLINE')], {
      description: "PAY: the payer approves in their UPI app (SUCCESS); DECLINE: the payer's bank declines the debit (FAILED, debit_failed)",
    }),
    publicIdentifierKey: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The transaction's publicIdentifierKey" })),
  },
  { additionalProperties: false },
);

export interface SandboxPayerDeps {
  checkout: Pick<CheckoutService, 'load' | 'upiStatus'>;
  payments: Pick<Gateway['payments'], 'answerAsUpiPayer'>;
  isSandboxCompany(companyId: string): Promise<boolean>;
  /** Applies the company's due sandbox timers (the payer's answer) before the route answers. */
  runDue(companyId: string): Promise<number>;
}

/**
 * `POST /pay/checkout/sandbox/upi-payer/{transactionId}` (Tijori extension): the hosted checkout's
 * "simulate the payer" control. A checkout's UPI QR code or app link waits for a payer who scans
 * it; in the sandbox nobody does, so the page shows this control and the tester answers for the
 * payer's app. Public like the rest of the checkout (the transaction id is the capability; a
 * publicIdentifierKey, when sent, must be the transaction's: ADR 0035), and for sandbox companies only. docs/api/gateway-checkout.md.
 */
export function registerSandboxPayerRoute(app: FastifyInstance, deps: SandboxPayerDeps): void {
  app.post<{ Params: Static<typeof transactionIdParams>; Querystring: Static<typeof keyQuery>; Body: Static<typeof sandboxPayerBody> }>(
    '/pay/checkout/sandbox/upi-payer/:transactionId',
    {
      schema: {
        ...tag,
        operationId: 'checkout.sandboxUpiPayer',
        summary: 'Sandbox: the payer of a UPI QR code or app link answers (Tijori extension)',
        description:
          'The payer of the transaction’s UPI intent (a QR code or app link shown by the checkout, waiting for its payer) pays or declines now. ' +
          'The answer is applied before this call answers: the result is the UPI poll’s. 409 when the transaction is not a UPI QR or app payment ' +
          'waiting for its payer; 403 for a company in live mode.',
        params: transactionIdParams,
        querystring: keyQuery,
        body: sandboxPayerBody,
        response: { 200: upiStatusResponse, 403: errorEnvelopeSchema, ...errors },
      },
    },
    async (request) => {
      const keys = {
        transactionId: request.params.transactionId,
        publicIdentifierKey: request.query.publicIdentifierKey ?? request.body.publicIdentifierKey,
      };
      const { payment } = await deps.checkout.load(keys);
      if (!(await deps.isSandboxCompany(payment.companyId))) {
        throw new SandboxOnlyError('The payer can only be simulated for a company in sandbox mode', { param: 'transactionId' });
      }
      await deps.payments.answerAsUpiPayer(payment.companyId, payment.id, request.body.answer === 'PAY' ? 'pay' : 'decline');
      // The answer is committed (a timer due now); firing it here is a courtesy that a failure
      // must not turn into a 500 (ADR 0046): the timer poller or the next clock move fires it.
      await runAfterCommit([() => deps.runDue(payment.companyId)]);
      return envelope(await deps.checkout.upiStatus(keys));
    },
  );
}
