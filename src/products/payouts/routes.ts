import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../../core/db/engine.js';
import { envelope, errorEnvelopeSchema, type Envelope } from '../../core/http/envelope.js';
import { toPage } from '../../core/http/pagination.js';
import { completeIdempotency } from '../../core/idempotency/index.js';
import { formatRupees } from '../../core/money/index.js';
import { scenarioFrom } from '../../rails/index.js';
import { PayoutDateRangeError } from './errors.js';
import { fundSourceIdOf, type ChecksumVerdict } from './model.js';
import {
  addFundsBody,
  addFundsResponse,
  balanceResponse,
  batchBody,
  batchResponse,
  beneficiaryBody,
  beneficiaryPageResponse,
  beneficiaryParams,
  beneficiaryResponse,
  beneficiarySearchBody,
  deletedBeneficiaryResponse,
  payoutAccountResponse,
  sourceAccountBody,
  sourceAccountResponse,
  statementBody,
  statementResponse,
  transferBody,
  transferPageResponse,
  transferResponse,
  transferSearchBody,
  wireBalance,
  wireBeneficiary,
  wirePayoutAccount,
  wireSourceAccount,
  wireStatement,
  wireTransfer,
} from './schemas.js';
import type { PayoutContext, PayoutsService, TransferOutcome } from './service.js';

const errors = {
  400: errorEnvelopeSchema,
  403: errorEnvelopeSchema,
  404: errorEnvelopeSchema,
  409: errorEnvelopeSchema,
  412: errorEnvelopeSchema,
  422: errorEnvelopeSchema,
};
const payouts = { tags: ['Payouts'], security: [{ bearer: [] }] };
/** The verdict on a request checksum under a `lenient` or `strict` client (docs/api/payouts.md). */
export const CHECKSUM_HEADER = 'x-tijori-checksum';

const INSUFFICIENT_BALANCE = 'Insufficient balance in payout account';

function context(request: FastifyRequest): PayoutContext {
  return { companyId: request.principal!.companyId, clientId: request.principal!.clientId, scenario: scenarioFrom(request) };
}

function reportChecksum(reply: FastifyReply, verdict: ChecksumVerdict | null): void {
  if (verdict !== null) void reply.header(CHECKSUM_HEADER, verdict);
}

/**
 * A transfer answer: HTTP 200 either way (reference §1.4: business failures are 200 with
 * response_code 1). A REJECTED attempt carries its record; a short balance its message.
 */
function transferEnvelope(outcome: TransferOutcome): Envelope<unknown> {
  if (outcome.kind === 'insufficient_balance') return { response_code: 1, response_message: INSUFFICIENT_BALANCE, payload: INSUFFICIENT_BALANCE };
  const t = outcome.transfer;
  if (t.status === 'REJECTED')
    return { response_code: 1, response_message: `Transfer rejected (${t.statusCode}): ${t.statusMessage}`, payload: wireTransfer(t) };
  return envelope(wireTransfer(t));
}

/** The `complete` callback of a money route: the answer is stored with its effect, in the same transaction. */
function completer<T>(request: FastifyRequest, toBody: (result: T) => unknown) {
  return (tx: Executor, result: T) => completeIdempotency(tx, request, 200, toBody(result));
}

/** The payout APIs (reference §3): docs/api/payouts.md. Every read needs scope `read`, every write `write`. */
export function registerPayoutRoutes(instance: FastifyInstance, service: PayoutsService): void {
  // Bodies and params are typed from their schemas (no casts): validation and types cannot drift.
  const api = instance.withTypeProvider<TypeBoxTypeProvider>();
  const company = (request: FastifyRequest) => request.principal!.companyId;

  // Bank details

  api.get(
    '/v0/payout-account',
    {
      config: { scope: 'read', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.getAccount',
        summary: 'Retrieve Bank Account Details',
        description: 'The payout account: its fundSourceId, the virtual account that loads it, and the registered source bank accounts.',
        response: { 200: payoutAccountResponse, ...errors },
      },
    },
    async (request) => envelope(wirePayoutAccount(company(request), fundSourceIdOf(company(request)), await service.sourceAccounts(company(request)))),
  );

  api.post(
    '/v0/payout-account',
    {
      config: { scope: 'write', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.addSourceAccount',
        summary: 'Add Source Bank Account',
        description: 'Registers a bank account of the company that funds its payouts (add funds, debitAccountNumber). 409 when already registered.',
        body: sourceAccountBody,
        response: { 200: sourceAccountResponse, ...errors },
      },
    },
    async (request) => envelope(wireSourceAccount(await service.addSourceAccount(company(request), request.body))),
  );

  api.get(
    '/v0/payout-account/balance',
    {
      config: { scope: 'read', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.getBalance',
        summary: 'Retrieve Account Balance',
        description: 'The payout balance: available (ledger balance less what pending payouts hold).',
        response: { 200: balanceResponse, ...errors },
      },
    },
    async (request) => envelope(wireBalance(await service.balance(company(request)))),
  );

  api.post(
    '/v0/payout-account/add-funds',
    {
      config: { scope: 'write', payloadEncryption: true, idempotency: 'required' },
      schema: {
        ...payouts,
        operationId: 'payouts.addFunds',
        summary: 'Add Funds to EnKash',
        description:
          'Sandbox: a simulated inward credit to the payout balance, credited at once. Live companies: 403 sandbox_only. Requires an Idempotency-Key.',
        body: addFundsBody,
        response: { 200: addFundsResponse, ...errors },
      },
    },
    async (request) => {
      const toBody = (r: Awaited<ReturnType<PayoutsService['addFunds']>>) =>
        envelope({
          fundLoadId: r.load.id,
          amount: formatRupees(r.load.amountPaise),
          utr: r.load.utr,
          sourceAccountNumber: r.load.sourceAccountNumber,
          reference: r.load.reference,
          status: 'CREDITED' as const,
          createdOn: r.load.createdAt.toISOString(),
          balance: wireBalance(r.balance),
        });
      return toBody(await service.addFunds(company(request), request.body, completer(request, toBody)));
    },
  );

  api.post(
    '/v0/payout-account/statement',
    {
      config: { scope: 'read', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.statement',
        summary: 'Fetch Statement',
        description:
          "The payout balance's posted movements over IST days fromDate..toDate (at most 31), oldest first, each with the balance after it; a Spring Page with the opening and closing balances.",
        body: statementBody,
        response: { 200: statementResponse, ...errors },
      },
    },
    async (request) => {
      const page = { offset: request.body.offset ?? 0, limit: request.body.limit ?? 20 };
      return envelope(wireStatement(await service.statement(company(request), request.body, page), page));
    },
  );

  // Beneficiaries

  api.post(
    '/v0/beneficiary-detail',
    {
      config: { scope: 'write', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.addBeneficiary',
        summary: 'Add Beneficiary',
        description:
          'Account number and IFSC, or a VPA (412 when both or neither). 409 for a beneficiaryId in use; 412 for a bad checksum under a strict client.',
        body: beneficiaryBody,
        response: { 200: beneficiaryResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { beneficiary, checksum } = await service.addBeneficiary(context(request), request.body);
      reportChecksum(reply, checksum);
      return envelope(wireBeneficiary(beneficiary));
    },
  );

  api.post(
    '/v0/beneficiary-detail/search',
    {
      config: { scope: 'read', payloadEncryption: true, idempotency: 'off' },
      schema: {
        ...payouts,
        operationId: 'payouts.searchBeneficiaries',
        summary: 'Search Beneficiary',
        description: 'Filters are ANDed: beneficiaryId, beneficiaryName (part, any case), beneficiaryAccountNumber, beneficiaryIfsc, vpaHandle. Oldest first.',
        body: beneficiarySearchBody,
        response: { 200: beneficiaryPageResponse, ...errors },
      },
    },
    async (request) => {
      const { offset = 0, limit = 20, ...filters } = request.body;
      const { rows, total } = await service.searchBeneficiaries(company(request), filters, { offset, limit });
      return envelope(toPage(rows.map(wireBeneficiary), total, { offset, limit }));
    },
  );

  api.delete(
    '/v0/beneficiary-detail/:beneficiaryId',
    {
      config: { scope: 'write', payloadEncryption: true },
      schema: {
        ...payouts,
        operationId: 'payouts.deleteBeneficiary',
        summary: 'Delete Beneficiary',
        description: 'It can no longer be paid; payouts already made keep its details. 404 when unknown.',
        params: beneficiaryParams,
        response: { 200: deletedBeneficiaryResponse, ...errors },
      },
    },
    async (request) => {
      const b = await service.deleteBeneficiary(company(request), request.params.beneficiaryId);
      return envelope({ ...wireBeneficiary(b), deletedOn: b.deletedAt!.toISOString() });
    },
  );

  // Transfers

  api.post(
    '/v0/payout-transaction',
    {
      config: { scope: 'write', payloadEncryption: true, idempotency: 'optional' },
      schema: {
        ...payouts,
        operationId: 'payouts.createTransfer',
        summary: 'Initiate Transfer',
        description:
          'Sends a payout. Answers PROCESSING, SUCCESS, FAILED (money returned) or REJECTED (response_code 1, with a REJECT_* statusCode; the transactionId may be sent again). ' +
          'An insufficient balance is response_code 1 with nothing recorded. 409 when the transactionId is in use.',
        body: transferBody,
        response: { 200: transferResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await service.createTransfer(context(request), request.body, completer(request, transferEnvelope));
      reportChecksum(reply, outcome.checksum);
      return transferEnvelope(outcome);
    },
  );

  api.post(
    '/v0/payout-transaction/batch',
    {
      config: { scope: 'write', payloadEncryption: true, idempotency: 'optional' },
      schema: {
        ...payouts,
        operationId: 'payouts.createBatch',
        summary: 'Initiate Batch Transfer',
        description:
          'Each transfer is answered PENDING (queued, sent in order at once on the sandbox clock) or REJECTED. 409 for a batchTransactionId or any transactionId in use (nothing is recorded).',
        body: batchBody,
        response: { 200: batchResponse, ...errors },
      },
    },
    async (request) => {
      const toBody = (r: Awaited<ReturnType<PayoutsService['createBatch']>>) =>
        envelope({ batchTransactionId: r.batch.batchTransactionId, transfers: r.transfers.map(wireTransfer) });
      return toBody(await service.createBatch(context(request), request.body, completer(request, toBody)));
    },
  );

  api.post(
    '/v0/payout-transaction/search',
    {
      config: { scope: 'read', payloadEncryption: true, idempotency: 'off' },
      schema: {
        ...payouts,
        operationId: 'payouts.searchTransfers',
        summary: 'Search Payout Transfers',
        description: 'Filters are ANDed; fromDate/toDate bound the sandbox creation time. Newest first; REJECTED attempts included.',
        body: transferSearchBody,
        response: { 200: transferPageResponse, ...errors },
      },
    },
    async (request) => {
      const { offset = 0, limit = 20, fromDate, toDate, ...filters } = request.body;
      const from = fromDate === undefined ? undefined : new Date(fromDate);
      const to = toDate === undefined ? undefined : new Date(toDate);
      if (from && to && to <= from) throw new PayoutDateRangeError('toDate must be after fromDate', { param: 'toDate' });
      const { rows, total } = await service.searchTransfers(
        company(request),
        { ...filters, ...(from ? { from } : {}), ...(to ? { to } : {}) },
        { offset, limit },
      );
      return envelope(toPage(rows.map(wireTransfer), total, { offset, limit }));
    },
  );
}
