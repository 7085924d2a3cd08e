import type { FastifyInstance } from 'fastify';
import { envelope } from '../../../core/http/envelope.js';
import { toPage, type PageRequest } from '../../../core/http/pagination.js';
import { formatRupees } from '../../../core/money/index.js';
import { merchantShare, type SplitAccount, type SplitAccountStatus } from './model.js';
import {
  accountListResponse,
  accountParams,
  accountResponse,
  createAccountBody,
  editOrDeferBody,
  editOrDeferResponse,
  errors,
  listAccountsQuery,
  updateAccountBody,
} from './schemas.js';
import type { EditOrDeferInput, SplitAccountInput, SplitService } from './service.js';

const TAG = ['Payment Gateway: split settlements'];

export function wireSplitAccount(a: SplitAccount) {
  return {
    accountId: a.id,
    name: a.name,
    accountNumber: a.accountNumber,
    ifsc: a.ifsc,
    email: a.email,
    mobile: a.mobile,
    status: a.status,
    createdOn: a.createdAt.toISOString(),
    lastModified: a.updatedAt.toISOString(),
  };
}

/** Split-settlement routes under /api (reference §2.7; the paths are INFERRED). */
export function registerSplitRoutes(app: FastifyInstance, split: SplitService): void {
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;

  app.post(
    '/v0/split-settlement/account',
    {
      schema: { tags: TAG, summary: 'Create Split Settlement Account', body: createAccountBody, response: { 200: accountResponse, ...errors } },
    },
    async (request) => envelope(wireSplitAccount(await split.createAccount(company(request), request.body as SplitAccountInput))),
  );

  app.patch(
    '/v0/split-settlement/account/:accountId',
    {
      schema: {
        tags: TAG,
        summary: 'Update Split Settlement Account',
        params: accountParams,
        body: updateAccountBody,
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = request.params as { accountId: string };
      return envelope(wireSplitAccount(await split.updateAccount(company(request), accountId, request.body as Partial<SplitAccountInput>)));
    },
  );

  app.get(
    '/v0/split-settlement/account',
    {
      schema: { tags: TAG, summary: 'Get All Split Settlement Accounts', querystring: listAccountsQuery, response: { 200: accountListResponse, ...errors } },
    },
    async (request) => {
      const { offset, limit, status } = request.query as PageRequest & { status?: SplitAccountStatus };
      const { rows, total } = await split.listAccounts(company(request), status, { offset, limit });
      return envelope(toPage(rows.map(wireSplitAccount), total, { offset, limit }));
    },
  );

  app.get(
    '/v0/split-settlement/account/:accountId',
    {
      schema: { tags: TAG, summary: 'Get Split Settlement Account', params: accountParams, response: { 200: accountResponse, ...errors } },
    },
    async (request) => envelope(wireSplitAccount(await split.getAccount(company(request), (request.params as { accountId: string }).accountId))),
  );

  app.patch(
    '/v0/split-settlement/account/:accountId/activate',
    {
      schema: { tags: TAG, summary: 'Activate Split Settlement Account', params: accountParams, response: { 200: accountResponse, ...errors } },
    },
    async (request) => envelope(wireSplitAccount(await split.activate(company(request), (request.params as { accountId: string }).accountId))),
  );

  app.patch(
    '/v0/split-settlement/account/:accountId/deactivate',
    {
      schema: { tags: TAG, summary: 'Deactivate Split Settlement Account', params: accountParams, response: { 200: accountResponse, ...errors } },
    },
    async (request) => envelope(wireSplitAccount(await split.deactivate(company(request), (request.params as { accountId: string }).accountId))),
  );

  app.post(
    '/v0/split-settlement/edit-or-defer',
    {
      schema: { tags: TAG, summary: 'Edit Or Deferred Split Settlement', body: editOrDeferBody, response: { 200: editOrDeferResponse, ...errors } },
    },
    async (request) => {
      const result = await split.editOrDefer(company(request), request.body as EditOrDeferInput);
      return envelope({
        transactionId: result.transactionId,
        amount: formatRupees(result.amountPaise),
        splitDetails: result.shares.map((s) => ({ accountId: s.accountId, amount: formatRupees(s.amountPaise) })),
        merchantAmount: formatRupees(merchantShare(result.amountPaise, result.shares)),
        deferred: result.deferred,
      });
    },
  );
}
