import { Type } from 'typebox';
import { envelopeSchema } from '../../core/http/envelope.js';
import { pageSchema, toPage } from '../../core/http/pagination.js';
import { formatRupees, rupeesSchema } from '../../core/money/index.js';
import { TRANSFER_STATUSES, virtualAccountOf, type Beneficiary, type SourceAccount, type Transfer } from './model.js';
import type { PayoutBalance, Statement } from './service.js';

// Route schemas of the payout APIs (reference §3): validation, serialization and /openapi.json.
// Field rules beyond types (patterns, one of two fields) are the service's, so that a transfer
// that breaks one is a REJECTED attempt with EnKash's code rather than a bare 400.

const text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);
const pageBody = {
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Rows to skip' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Rows per page (at most 100)' })),
};

const beneficiaryFields = {
  beneficiaryName: text(100, 'Letters and spaces, at most 100'),
  beneficiaryAccountNumber: Type.Optional(text(36, '9 to 18 digits; with beneficiaryIfsc, or send vpaHandle instead')),
  beneficiaryIfsc: Type.Optional(text(11, '^[A-Za-z]{4}0[A-Z0-9a-z]{6}$')),
  vpaHandle: Type.Optional(text(300, 'handle@psp; instead of an account and IFSC (412 when both)')),
  beneficiaryEmail: Type.Optional(text(200)),
  beneficiaryPhone: Type.Optional(text(20, '^((\\+|00)(\\d{1,3})[\\s-]?)?(\\d{10})$')),
  beneficiaryAddress: Type.Optional(text(500)),
  beneficiaryCity: Type.Optional(text(100)),
  beneficiaryState: Type.Optional(text(100)),
  beneficiaryPincode: Type.Optional(text(6, 'At most 6 digits')),
};

export const beneficiaryBody = Type.Object(
  {
    beneficiaryId: text(100, 'Your alphanumeric id of the beneficiary (at most 50)'),
    ...beneficiaryFields,
    checksum: Type.Optional(text(128, "SHA-256 hex, see docs/api/payouts.md; required when the client's setting is strict")),
  },
  { additionalProperties: false },
);

const beneficiary = Type.Object({
  beneficiaryId: Type.String(),
  beneficiaryName: Type.String(),
  beneficiaryAccountNumber: nullable(Type.String()),
  beneficiaryIfsc: nullable(Type.String()),
  vpaHandle: nullable(Type.String()),
  beneficiaryEmail: nullable(Type.String()),
  beneficiaryPhone: nullable(Type.String()),
  beneficiaryAddress: nullable(Type.String()),
  beneficiaryCity: nullable(Type.String()),
  beneficiaryState: nullable(Type.String()),
  beneficiaryPincode: nullable(Type.String()),
  createdOn: Type.String(),
});

export const beneficiaryResponse = envelopeSchema(beneficiary);
export const deletedBeneficiaryResponse = envelopeSchema(Type.Object({ ...beneficiary.properties, deletedOn: Type.String() }));

export const beneficiarySearchBody = Type.Object(
  {
    beneficiaryId: Type.Optional(text(100)),
    beneficiaryName: Type.Optional(text(100, 'Part of the name, any case')),
    beneficiaryAccountNumber: Type.Optional(text(36)),
    beneficiaryIfsc: Type.Optional(text(11)),
    vpaHandle: Type.Optional(text(300)),
    ...pageBody,
  },
  { additionalProperties: false },
);
export const beneficiaryPageResponse = envelopeSchema(pageSchema(beneficiary));
export const beneficiaryParams = Type.Object({ beneficiaryId: text(100) });

export function wireBeneficiary(b: Beneficiary) {
  return {
    beneficiaryId: b.beneficiaryId,
    beneficiaryName: b.beneficiaryName,
    beneficiaryAccountNumber: b.accountNumber,
    beneficiaryIfsc: b.ifsc,
    vpaHandle: b.vpa,
    beneficiaryEmail: b.email,
    beneficiaryPhone: b.phone,
    beneficiaryAddress: b.address,
    beneficiaryCity: b.city,
    beneficiaryState: b.state,
    beneficiaryPincode: b.pincode,
    createdOn: b.createdAt.toISOString(),
  };
}

const transferFields = {
  transactionId: text(100, 'Your unique id of the transfer (1 to 50 letters, digits, - or _); a REJECTED one may be sent again'),
  beneficiaryId: Type.Optional(text(100, 'A registered beneficiary; or send beneficiaryDetail')),
  beneficiaryDetail: Type.Optional(
    Type.Object(
      { beneficiaryId: Type.Optional(text(100)), ...beneficiaryFields },
      { additionalProperties: false, description: 'An inline beneficiary, used for this transfer only' },
    ),
  ),
  transferAmount: { ...rupeesSchema, description: 'Rupees, at least 1.00; a third decimal is refused' },
  transferMode: Type.Optional(text(10, 'IMPS, NEFT (default), RTGS or UPI')),
  transferRemark: Type.Optional(text(100, 'At most 50 letters, digits, spaces or . , - /')),
  reference: Type.Optional(text(100)),
  fundSourceId: Type.Optional(text(50, "The payout account's fundSourceId (GET /api/v0/payout-account)")),
  debitAccountNumber: Type.Optional(text(36, 'A registered source bank account')),
  checksum: Type.Optional(text(128, 'SHA-256 hex, see docs/api/payouts.md')),
};

export const transferBody = Type.Object(transferFields, { additionalProperties: false });
export const batchBody = Type.Object(
  {
    batchTransactionId: text(100, 'Your unique id of the batch'),
    transfers: Type.Array(Type.Object(transferFields, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const transfer = Type.Object({
  transactionId: Type.String(),
  enkashTransactionId: Type.String(),
  batchTransactionId: nullable(Type.String()),
  beneficiaryId: nullable(Type.String()),
  beneficiaryName: nullable(Type.String()),
  transferAmount: Type.Number(),
  transferMode: Type.String(),
  transferStatus: Type.Union(TRANSFER_STATUSES.map((s) => Type.Literal(s))),
  statusCode: nullable(Type.String({ description: 'REJECT_* code, or the failure or reversal reason' })),
  remarks: nullable(Type.String({ description: 'Human-readable status message' })),
  transferRemark: nullable(Type.String()),
  reference: nullable(Type.String()),
  fundSourceId: nullable(Type.String()),
  utr: nullable(Type.String({ description: 'UTR (RRN for IMPS and UPI) once the bank accepted it' })),
  createdOn: Type.String(),
  updatedOn: Type.String(),
});

export function wireTransfer(t: Transfer) {
  return {
    transactionId: t.transactionId,
    enkashTransactionId: t.id,
    batchTransactionId: t.batchTransactionId,
    beneficiaryId: t.beneficiaryId,
    beneficiaryName: t.beneficiaryName,
    transferAmount: formatRupees(t.amountPaise),
    transferMode: t.transferMode,
    transferStatus: t.status,
    statusCode: t.statusCode,
    remarks: t.statusMessage,
    transferRemark: t.transferRemark,
    reference: t.reference,
    fundSourceId: t.fundSourceId,
    utr: t.utr,
    createdOn: t.createdAt.toISOString(),
    updatedOn: t.updatedAt.toISOString(),
  };
}

/** A transfer, or (response_code 1) the text of a business failure such as an insufficient balance. */
export const transferResponse = envelopeSchema(Type.Union([transfer, Type.String()]));
export const batchResponse = envelopeSchema(Type.Object({ batchTransactionId: Type.String(), transfers: Type.Array(transfer) }));

export const transferSearchBody = Type.Object(
  {
    transactionId: Type.Optional(text(100)),
    batchTransactionId: Type.Optional(text(100)),
    beneficiaryId: Type.Optional(text(100)),
    transferStatus: Type.Optional(Type.Union(TRANSFER_STATUSES.map((s) => Type.Literal(s)))),
    transferMode: Type.Optional(Type.Union(['IMPS', 'NEFT', 'RTGS', 'UPI'].map((s) => Type.Literal(s)))),
    utr: Type.Optional(text(40)),
    fromDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601, sandbox time)' })),
    toDate: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (ISO 8601, sandbox time)' })),
    ...pageBody,
  },
  { additionalProperties: false },
);
export const transferPageResponse = envelopeSchema(pageSchema(transfer));

// Payout account

const sourceAccount = Type.Object({
  accountNumber: Type.String(),
  ifsc: Type.String(),
  accountHolderName: Type.String(),
  bankName: Type.String(),
  createdOn: Type.String(),
});

export function wireSourceAccount(a: SourceAccount) {
  return { accountNumber: a.accountNumber, ifsc: a.ifsc, accountHolderName: a.accountHolderName, bankName: a.bankName, createdOn: a.createdAt.toISOString() };
}

export const sourceAccountBody = Type.Object(
  { accountNumber: text(36, '9 to 18 digits'), ifsc: text(11), accountHolderName: text(100, 'Letters and spaces') },
  { additionalProperties: false },
);
export const sourceAccountResponse = envelopeSchema(sourceAccount);

export const payoutAccountResponse = envelopeSchema(
  Type.Object({
    companyId: Type.String(),
    fundSourceId: Type.String({ description: 'Send as fundSourceId on a transfer (optional)' }),
    accountName: Type.String(),
    accountNumber: Type.String({ description: 'The virtual account that loads the payout balance' }),
    ifsc: Type.String(),
    bankName: Type.String(),
    sourceBankAccounts: Type.Array(sourceAccount),
  }),
);

export function wirePayoutAccount(companyId: string, fundSourceId: string, sources: SourceAccount[]) {
  const va = virtualAccountOf(companyId);
  return {
    companyId,
    fundSourceId,
    accountName: va.accountName,
    accountNumber: va.accountNumber,
    ifsc: va.ifsc,
    bankName: va.bankName,
    sourceBankAccounts: sources.map(wireSourceAccount),
  };
}

const balance = Type.Object({
  fundSourceId: Type.String(),
  balance: Type.Number({ description: 'Available for payouts: ledgerBalance − heldAmount' }),
  ledgerBalance: Type.Number({ description: 'Posted balance of the payout float' }),
  heldAmount: Type.Number({ description: 'Held by payouts sent and not yet confirmed by the bank' }),
  currency: Type.Literal('INR'),
  asOn: Type.String({ description: 'Sandbox time, ISO 8601' }),
});
export const balanceResponse = envelopeSchema(balance);

export function wireBalance(b: PayoutBalance) {
  return {
    fundSourceId: b.fundSourceId,
    balance: formatRupees(b.available),
    ledgerBalance: formatRupees(b.ledger),
    heldAmount: formatRupees(b.held),
    currency: 'INR' as const,
    asOn: b.asOn.toISOString(),
  };
}

export const addFundsBody = Type.Object(
  {
    amount: rupeesSchema,
    sourceAccountNumber: Type.Optional(text(36, 'A registered source bank account the credit comes from')),
    reference: Type.Optional(text(100, 'At most 50 letters, digits, spaces or . , - /')),
  },
  { additionalProperties: false },
);
export const addFundsResponse = envelopeSchema(
  Type.Object({
    fundLoadId: Type.String(),
    amount: Type.Number(),
    utr: Type.String({ description: 'UTR of the simulated inward IMPS credit' }),
    sourceAccountNumber: nullable(Type.String()),
    reference: nullable(Type.String()),
    status: Type.Literal('CREDITED'),
    createdOn: Type.String(),
    balance,
  }),
);

export const statementBody = Type.Object(
  {
    fromDate: Type.String({ description: 'First IST day, yyyy-MM-dd', examples: ['2026-11-01'] }),
    toDate: Type.String({ description: 'Last IST day (inclusive), yyyy-MM-dd; at most 31 days in all', examples: ['2026-11-30'] }),
    ...pageBody,
  },
  { additionalProperties: false },
);

const statementEntry = Type.Object({
  ledgerTransactionId: Type.String(),
  transactionDate: Type.String(),
  type: Type.Union([Type.Literal('CREDIT'), Type.Literal('DEBIT')]),
  amount: Type.Number(),
  balance: Type.Number({ description: 'Balance after this entry' }),
  code: Type.String({ description: 'Ledger transaction code: sandbox_funding, payout, payout_return' }),
  referenceType: Type.String(),
  referenceId: Type.String({ description: 'The fund load or payout (enkashTransactionId) it records' }),
  narration: Type.String(),
});

export const statementResponse = envelopeSchema(
  Type.Object({
    fromDate: Type.String(),
    toDate: Type.String(),
    openingBalance: Type.Number(),
    closingBalance: Type.Number(),
    ...(pageSchema(statementEntry) as { properties: Record<string, never> }).properties,
  }),
);

export function wireStatement(s: Statement, page: { offset: number; limit: number }) {
  const content = s.entries.map((e) => ({
    ledgerTransactionId: e.ledgerTransactionId,
    transactionDate: e.transactionDate.toISOString(),
    type: e.type,
    amount: formatRupees(e.amountPaise),
    balance: formatRupees(e.balancePaise),
    code: e.code,
    referenceType: e.referenceType,
    referenceId: e.referenceId,
    narration: e.narration,
  }));
  return {
    fromDate: s.fromDate,
    toDate: s.toDate,
    openingBalance: formatRupees(s.openingBalancePaise),
    closingBalance: formatRupees(s.closingBalancePaise),
    ...toPage(content, s.total, page),
  };
}
