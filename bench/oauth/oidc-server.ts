/**
 * Child process: the baseline, oidc-provider's token endpoint with the client_credentials grant,
 * its default in-memory adapter and opaque access tokens, on a plain node:http server (as
 * fastify uses). Replies `ready` with the port. Its development notices go to the captured
 * stdout/stderr, which the parent shows only if this process fails.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { Provider } from 'oidc-provider';
import { onStop, send, serveStats } from '../lib/child.js';
import { OIDC_CLIENT } from './constants.js';

async function main(): Promise<void> {
  // A signing key of our own (the provider would otherwise load its development keys); an
  // opaque client_credentials token never uses it.
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider('http://127.0.0.1', {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    jwks: { keys: [{ ...jwk, kid: 'bench', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['bench-cookie-signing-key'] },
    // Tijori's default access-token lifetime (a day); the provider's default for this grant is 10 minutes.
    ttl: { ClientCredentials: 86_400 },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serveStats();
  onStop(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  send({ type: 'ready', port });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
