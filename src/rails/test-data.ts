import type { RailName } from './types.js';
import type { ScenarioName } from './scenario.js';

/**
 * One documented value that decides a rail's outcome. `outcome` is the one-line description of
 * what the simulator does with it (see describePlan in outcome.ts); a test runs every value through
 * its simulator and compares, so docs/sandbox.md and GET /api/v0/sandbox/test-data cannot lie.
 */
export interface MagicValue {
  /** What the value is: `card number`, `otp`, `vpa`, `bank code`, `account number`, `ifsc`, `pan`, `gstin`… */
  kind: string;
  value: string;
  /** The rail operation it applies to (`authorize`, `verifyVpa`, `transfer`, …). */
  operation: string;
  outcome: string;
  description: string;
}

/** Everything a rail documents about its sandbox behaviour. */
export interface RailTestData {
  rail: RailName;
  title: string;
  summary: string;
  /** Scenarios accepted on requests that reach this rail. */
  scenarios: ScenarioName[];
  /** What happens for a value that is not in `magicValues` and no scenario is named. */
  defaultOutcome: string;
  /** Rules that hold whatever the test data (limits, formats, batches, expiries). */
  rules: string[];
  magicValues: MagicValue[];
}

/** What the sandbox documents about an operation of a product, beside the rails (refunds of the Payment Gateway). */
export interface ProductTestData {
  product: string;
  title: string;
  summary: string;
  scenarios: ScenarioName[];
  defaultOutcome: string;
  rules: string[];
  magicValues: MagicValue[];
}
