import { bbpsTestData } from './bbps/test-data.js';
import { bankTransferTestData } from './bank-transfer/test-data.js';
import { cardTestData } from './card/test-data.js';
import { netbankingTestData } from './netbanking/test-data.js';
import { registriesTestData } from './registries/test-data.js';
import { SCENARIOS, type ScenarioName } from './scenario.js';
import type { ProductTestData, RailTestData } from './test-data.js';
import { upiTestData } from './upi/test-data.js';
import { walletTestData } from './wallet/test-data.js';

export interface SandboxTestData {
  /** The request header that names a scenario. */
  scenarioHeader: string;
  /** How an outcome is decided, first match wins. */
  precedence: string[];
  scenarios: ReadonlyArray<{ name: ScenarioName; syntax: string; meaning: string }>;
  rails: readonly RailTestData[];
  /** Outcomes of products' own operations beside the rails (gateway refunds, e-collect credits). */
  products: readonly ProductTestData[];
}

/** Every rail's test data, in one place: the source of GET /api/v0/sandbox/test-data and docs/sandbox.md. */
export const RAIL_TEST_DATA: readonly RailTestData[] = [
  cardTestData,
  upiTestData,
  netbankingTestData,
  walletTestData,
  bankTransferTestData,
  registriesTestData,
  bbpsTestData,
];

/** The sandbox's test data with the products' own (src/sandbox-test-data.ts hands them in: rails name no product). */
export function sandboxTestDataOf(products: readonly ProductTestData[]): SandboxTestData {
  return {
    scenarioHeader: 'X-Tijori-Scenario',
    precedence: [
      'A scenario named on the request (`X-Tijori-Scenario` header) decides the outcome.',
      'Otherwise the test data of the request (card number, VPA, bank or wallet code, account number, PAN, GSTIN…) decides it.',
      "Otherwise the rail's documented default applies: success.",
      'Rules of the rail (formats, check digits, limits, card expiry, NEFT batches, OTP) hold whatever decides the outcome.',
    ],
    scenarios: SCENARIOS,
    rails: RAIL_TEST_DATA,
    products,
  };
}
