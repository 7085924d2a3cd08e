export type { BankTransferRail, Beneficiary, TransferResult } from './rail.js';
export { BankTransferSimulator, type BankTransferOptions } from './simulator.js';
export { generateUtr, nextNeftBatch, DEFAULT_LIMITS, TRANSFER_MODES, type TransferMode, type TransferLimits, type RejectCode } from './rules.js';
export { bankTransferTestData, TEST_BENEFICIARIES } from './test-data.js';
