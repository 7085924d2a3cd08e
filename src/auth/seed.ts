import { AppError } from '../core/errors/app-error.js';
import type { IdentityService } from './identity/index.js';
import type { MerchantService } from './merchant/index.js';

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
  /** Payment Gateway merchant keys (`POST /api/v0/merchant/token`, reference §1.2(a)). */
  merchantAccessKey: 'sandbox_access_CEK1GZBO6A',
  merchantSecretKey: 'sandbox_secret_64b0ff0332f058b5',
} as const;

/**
 * Runs one seeding step; another process seeding the same database at the same moment may win
 * the race to insert, which counts as done (several `tijori start` on one PostgreSQL).
 */
async function step(exists: () => Promise<unknown>, create: () => Promise<unknown>, alreadyCode: string): Promise<boolean> {
  if (await exists()) return false;
  try {
    await create();
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === alreadyCode) return false;
    throw err;
  }
}

/** Creates whatever part of the sandbox company is missing; existing rows are left as they are. */
export async function seedSandbox(services: { identity: IdentityService; merchant: MerchantService }): Promise<{ created: boolean }> {
  const { identity, merchant } = services;
  const company = await step(
    () => identity.findCompany(SANDBOX.companyId),
    () => identity.createCompany({ id: SANDBOX.companyId, name: SANDBOX.companyName }),
    'company_exists',
  );
  const client = await step(
    () => identity.findClient(SANDBOX.companyId),
    () =>
      identity.createClient({
        companyId: SANDBOX.companyId,
        secret: SANDBOX.clientSecret,
        grantTypes: ['password', 'refresh_token', 'client_credentials'],
        payloadEncryption: 'optional',
      }),
    'client_exists',
  );
  const user = await step(
    () => identity.findUserByUsername(SANDBOX.username),
    () => identity.createUser({ companyId: SANDBOX.companyId, username: SANDBOX.username, password: SANDBOX.password }),
    'username_taken',
  );
  const merchantKey = await step(
    () => merchant.findKey(SANDBOX.merchantAccessKey),
    () => merchant.createKey(SANDBOX.companyId, { accessKey: SANDBOX.merchantAccessKey, secretKey: SANDBOX.merchantSecretKey }),
    'merchant_key_exists',
  );
  return { created: company || client || user || merchantKey };
}
