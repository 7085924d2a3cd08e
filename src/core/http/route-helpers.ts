import type { FastifyRequest } from 'fastify';

/** A `preValidation` hook for routes whose body fields are all optional: no body means `{}`. */
export const emptyBodyIsObject = async (request: FastifyRequest) => {
  request.body ??= {};
};

/**
 * The base of the public pages in `redirectionUrl` and other links a response carries:
 * TIJORI_PUBLIC_URL, else the request's own origin (docs/api/gateway-payments.md).
 */
export function publicBase(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}`;
}
