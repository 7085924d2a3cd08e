import { sandboxTestDataOf, type ProductTestData, type SandboxTestData } from './rails/index.js';
import { ecollectTestData } from './products/gateway/ecollect/test-data.js';
import { paymentLinkTestData } from './products/gateway/links/test-data.js';
import { refundTestData } from './products/gateway/refunds/test-data.js';
import { payoutTestData } from './products/payouts/test-data.js';
import { verificationTestData } from './products/verification/index.js';

/** The products' documented test data, each kept beside its product. */
export const PRODUCT_TEST_DATA: readonly ProductTestData[] = [refundTestData, ecollectTestData, paymentLinkTestData, payoutTestData, verificationTestData];

/** Every rail's and product's test data: the source of GET /api/v0/sandbox/test-data, the test-data page and docs/sandbox.md. */
export function sandboxTestData(): SandboxTestData {
  return sandboxTestDataOf(PRODUCT_TEST_DATA);
}
