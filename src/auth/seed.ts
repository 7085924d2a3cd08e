import type { IdentityService } from './identity/index.js';

/**
 * The sandbox company of the portal page (shared/seed): integrations and outside test suites rely
 * on these exact values, so they may be extended but never changed or removed.
 */
export const SANDBOX = {
  companyId: 'CEK1GZBO6A',
  companyName: 'Tijori Sandbox Company',
  clientSecret: '64b0ff0332f058b56402b63a9baa60214f2d61d3',
  username: '9167019711',
  password: 'Test@1234567',
} as const;

/** Creates whatever part of the sandbox company is missing; existing rows are left as they are. */
export async function seedSandbox(identity: IdentityService): Promise<{ created: boolean }> {
  let created = false;
  if (!(await identity.findCompany(SANDBOX.companyId))) {
    await identity.createCompany({ id: SANDBOX.companyId, name: SANDBOX.companyName });
    created = true;
  }
  if (!(await identity.findClient(SANDBOX.companyId))) {
    await identity.createClient({
      companyId: SANDBOX.companyId,
      secret: SANDBOX.clientSecret,
      grantTypes: ['password', 'refresh_token', 'client_credentials'],
      payloadEncryption: 'optional',
    });
    created = true;
  }
  if (!(await identity.findUserByUsername(SANDBOX.username))) {
    await identity.createUser({ companyId: SANDBOX.companyId, username: SANDBOX.username, password: SANDBOX.password });
    created = true;
  }
  return { created };
}
