import type { FastifyInstance } from 'fastify';
import type { Services } from '../../src/app.js';
import { SANDBOX } from '../../src/auth/seed.js';
import type { AuthKind } from './openapi-routes.js';
import { merchantToken } from './gateway.js';
import { basic, postForm } from './oauth.js';

/** A company with every credential a caller can hold: OAuth client and user, and a merchant key. */
export interface Tenant {
  companyId: string;
  clientSecret: string;
  username: string;
  password: string;
  merchantAccessKey: string;
  merchantSecretKey: string;
}

/** The seeded sandbox company. */
export const SANDBOX_TENANT: Tenant = {
  companyId: SANDBOX.companyId,
  clientSecret: SANDBOX.clientSecret,
  username: SANDBOX.username,
  password: SANDBOX.password,
  merchantAccessKey: SANDBOX.merchantAccessKey,
  merchantSecretKey: SANDBOX.merchantSecretKey,
};

/** A second company, made as an operator makes one (`tijori company create` runs the same services). */
export async function createTenant(services: Services, name: string, username: string): Promise<Tenant> {
  const company = await services.identity.createCompany({ name });
  const { secret } = await services.identity.createClient({
    companyId: company.id,
    grantTypes: ['password', 'refresh_token', 'client_credentials'],
    payloadEncryption: 'optional',
  });
  const password = 'Proof@123456';
  await services.identity.createUser({ companyId: company.id, username, password });
  const { key, secretKey } = await services.merchant.createKey(company.id);
  return { companyId: company.id, clientSecret: secret, username, password, merchantAccessKey: key.accessKey, merchantSecretKey: secretKey };
}

/** Authentication headers of each kind for one tenant, obtained once through the real token routes. */
export type TenantHeaders = Record<AuthKind, Record<string, string>> & { tokens: { access_token: string; refresh_token: string } };

export async function tenantHeaders(app: FastifyInstance, tenant: Tenant): Promise<TenantHeaders> {
  const client = basic(tenant.companyId, tenant.clientSecret);
  const grant = await postForm(app, '/oauth/token', { grant_type: 'password', username: tenant.username, password: tenant.password }, client);
  if (grant.statusCode !== 200) throw new Error(`password grant for ${tenant.companyId}: ${grant.statusCode} ${grant.body}`);
  const tokens = grant.json() as { access_token: string; refresh_token: string };
  const merchant = await merchantToken(app, tenant.merchantAccessKey, tenant.merchantSecretKey);
  return {
    bearer: { authorization: `Bearer ${tokens.access_token}` },
    merchant: { authorization: `Bearer ${merchant}`, merchantaccesskey: tenant.merchantAccessKey },
    client: { authorization: client },
    none: {},
    tokens,
  };
}
