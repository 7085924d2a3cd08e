import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerGuard } from '../../core/http/bearer-guard.js';
import type { TokenVerifier } from '../../core/http/principal.js';
import { accessDenied } from '../../core/errors/oauth-error.js';
import { MerchantAccessKeyMissingError, MerchantTokenError, MerchantTokenNotAcceptedError } from './errors.js';
import type { MerchantIdentity, MerchantService } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the call was authenticated with a merchant token (reference §1.2(a)). */
    merchant?: MerchantIdentity;
  }
  interface FastifyContextConfig {
    /** Payment Gateway routes: only a merchant token with its `merchantAccessKey` header is accepted. */
    merchantAuth?: boolean;
    /** Platform routes (sandbox clock, webhooks, events, ledger, settings): a merchant token is accepted beside OAuth tokens. */
    merchantAccepted?: boolean;
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The onRequest hook of /api/**. A call that carries a `merchantAccessKey` header is a Payment
 * Gateway call and must present that key's merchant token; any other call presents an OAuth
 * token (Spring-shaped errors, reference §1.3). Gateway routes (`merchantAuth`) refuse OAuth
 * tokens, as EnKash lists both headers as required on every PG endpoint; the platform routes
 * (sandbox clock, webhooks, events, ledger) accept either, so a gateway-only integration can use them.
 */
export function apiGuard(oauth: TokenVerifier, merchants: MerchantService) {
  const oauthGuard = bearerGuard(oauth);
  return async function guard(request: FastifyRequest): Promise<void> {
    const accessKey = request.headers['merchantaccesskey'];
    const { merchantAuth, merchantAccepted } = request.routeOptions.config;
    if (accessKey === undefined || accessKey === '') {
      if (merchantAuth === true) throw new MerchantAccessKeyMissingError('Missing required header merchantAccessKey');
      return oauthGuard(request);
    }
    // Payouts, bill payments and the other OAuth products move the company's money: gateway keys,
    // which live on checkout servers, must not reach them (reference §1.2(b)).
    if (merchantAuth !== true && merchantAccepted !== true) {
      throw new MerchantTokenNotAcceptedError('This API takes an OAuth access token (POST /oauth/token); merchant tokens are for the Payment Gateway');
    }
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw new MerchantTokenError('Missing required header Authorization: Bearer <token>');
    const { principal, merchant } = await merchants.verify(match[1]!, Array.isArray(accessKey) ? accessKey.join(',') : accessKey);
    request.principal = principal;
    request.merchant = merchant;
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined && !principal.scopes.includes(scope)) throw accessDenied();
  };
}

/** Marks every route registered in `scope` as a platform route that also accepts a merchant token. */
export function markPlatformRoutes(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, merchantAccepted: true };
  });
}

/**
 * Marks every route registered in `scope` as a Payment Gateway route: merchant token only, and
 * both headers named in the OpenAPI document.
 */
export function markMerchantRoutes(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, merchantAuth: true };
    if (route.schema) route.schema = { ...route.schema, security: [{ merchantToken: [], merchantAccessKey: [] }] };
  });
}
