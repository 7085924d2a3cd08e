import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { toWireError } from '../../core/http/envelope.js';
import type { MerchantService } from './service.js';

const tokenBody = Type.Object({
  accessKey: Type.String({ minLength: 1, maxLength: 200, examples: ['sandbox_access_CEK1GZBO6A'] }),
  secretKey: Type.String({ minLength: 1, maxLength: 200, examples: ['sandbox_secret_64b0ff0332f058b5'] }),
});

/** The PG token's own envelope (reference §1.2(a), §1.4 "Variant envelopes"). */
const tokenAnswer = Type.Object({
  token: Type.Union([Type.String(), Type.Null()]),
  expiry: Type.Union([Type.Integer({ description: 'Expiry instant in epoch milliseconds' }), Type.Null()]),
  resultCode: Type.Integer(),
  resultMessage: Type.String(),
});

export const TOKEN_SUCCESS_MESSAGE = 'Token generated successfully.';

/**
 * `POST /api/v0/merchant/token`, outside the guarded /api scope (it is how a merchant gets the
 * token the guard asks for). Its errors keep the same `{token, expiry, resultCode, resultMessage}`
 * shape as its success, with the HTTP status repeated in `resultCode`, because a PG client parses
 * `resultMessage` (the SDK reads `response_message | resultMessage | message`).
 */
export const merchantTokenPlugin: FastifyPluginAsync<{ service: MerchantService }> = async (app, { service }) => {
  app.setErrorHandler((err, request, reply) => {
    const wire = toWireError(err, request.headers['content-type']);
    if (wire.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: wire.code, status: wire.status }, wire.message);
    void reply
      .code(wire.status)
      .headers(wire.headers)
      .header('x-error-code', wire.code)
      .send({ token: null, expiry: null, resultCode: wire.status, resultMessage: wire.message });
  });

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v0/merchant/token',
    {
      schema: {
        tags: ['Payment Gateway: authorization'],
        operationId: 'merchant.token',
        summary: 'Generate a merchant authorization token (reference §1.2(a))',
        description:
          'Exchanges the merchant accessKey and secretKey for a bearer token. Gateway calls send it as `Authorization: Bearer <token>` ' +
          'together with the header `merchantAccessKey: <accessKey>`. `expiry` is the expiry instant in epoch milliseconds.',
        body: tokenBody,
        response: { 200: tokenAnswer, 400: tokenAnswer, 401: tokenAnswer },
      },
    },
    async (request, reply) => {
      const { accessKey, secretKey } = request.body;
      const issued = await service.issueToken(accessKey, secretKey);
      // The answer holds a credential: no cache may keep it (RFC 6749 §5.1).
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { token: issued.token, expiry: issued.expiresAt.getTime(), resultCode: 200, resultMessage: TOKEN_SUCCESS_MESSAGE };
    },
  );
};
