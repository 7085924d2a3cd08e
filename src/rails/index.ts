import { BbpsSimulator, type BbpsRail } from './bbps/index.js';
import { BankTransferSimulator, type BankTransferOptions, type BankTransferRail } from './bank-transfer/index.js';
import { CardSimulator, type CardRail } from './card/index.js';
import { NetbankingSimulator, type NetbankingRail } from './netbanking/index.js';
import { RegistriesSimulator, type RegistriesRail } from './registries/index.js';
import type { SimulatorDeps } from './types.js';
import { UpiSimulator, type UpiRail } from './upi/index.js';
import { WalletSimulator, type WalletRail } from './wallet/index.js';

/**
 * The rails a product calls, each behind its interface. A builder replaces a simulator by a real
 * connector that implements the same interface (docs/adr/0012-rail-simulators.md); products never
 * know which one they have.
 */
export interface Rails {
  card: CardRail;
  upi: UpiRail;
  netbanking: NetbankingRail;
  wallet: WalletRail;
  bankTransfer: BankTransferRail;
  registries: RegistriesRail;
  bbps: BbpsRail;
}

export interface RailsOptions {
  bankTransfer?: BankTransferOptions;
  /** Replace any rail by another implementation (a real connector, or a test double of a bank). */
  overrides?: Partial<Rails>;
}

/** Builds the simulated rails on the sandbox clock and its timers. */
export function createRails(deps: SimulatorDeps, options: RailsOptions = {}): Rails {
  const registries = options.overrides?.registries ?? new RegistriesSimulator();
  return {
    card: options.overrides?.card ?? new CardSimulator(deps),
    upi: options.overrides?.upi ?? new UpiSimulator(deps),
    netbanking: options.overrides?.netbanking ?? new NetbankingSimulator(deps),
    wallet: options.overrides?.wallet ?? new WalletSimulator(deps),
    bankTransfer: options.overrides?.bankTransfer ?? new BankTransferSimulator({ ...deps, registries }, options.bankTransfer ?? {}),
    registries,
    bbps: options.overrides?.bbps ?? new BbpsSimulator(deps),
  };
}

export type { RailCall, RailName, RailOutcomeEvent, OutcomeHandler, OutcomeStatus, OutcomeSource, SimulatorDeps } from './types.js';
export { scenarioFrom, parseScenario, parseIsoDuration, formatScenario, SCENARIOS, SCENARIO_HEADER, type Scenario, type ScenarioName } from './scenario.js';
export { sandboxTestDataOf, type SandboxTestData } from './registry.js';
export type { RailTestData, MagicValue, ProductTestData } from './test-data.js';
export { formatIsoDuration } from './scenario.js';
export { DEFAULT_LIMITS, rupees } from './bank-transfer/rules.js';
export { registerSandboxTestDataRoute } from './routes.js';
export type { CardRail } from './card/index.js';
export type { UpiRail } from './upi/index.js';
export type { NetbankingRail } from './netbanking/index.js';
export type { WalletRail } from './wallet/index.js';
export type { BankTransferRail } from './bank-transfer/index.js';
export type { RegistriesRail } from './registries/index.js';
export type { BbpsRail } from './bbps/index.js';
export type { B2bNetworkRail } from './b2b-network/index.js';
