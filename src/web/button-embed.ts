import type { FastifyInstance } from 'fastify';
import { asset, sendAsset } from './assets.js';
import { BUTTON_JS } from './assets/button-script.js';

const SCRIPT = asset(BUTTON_JS, 'text/javascript; charset=utf-8');

/**
 * `GET /pay/button.js`, the payment button's embed script (ADR 0022). Loaded by pages on other
 * origins: cross-origin resource policy allows it (a page with COEP may load it), and CORS allows
 * a `crossorigin` script tag or a subresource-integrity check.
 */
export function registerButtonScript(app: FastifyInstance): void {
  app.get('/pay/button.js', { schema: { hide: true } }, async (request, reply) =>
    sendAsset(request, reply, SCRIPT, {
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=300',
    }),
  );
}
