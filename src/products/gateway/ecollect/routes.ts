import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SandboxOnlyError } from '../../../core/clock/errors.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import { envelope } from '../../../core/http/envelope.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';
import { completeIdempotency } from '../../../core/idempotency/index.js';
import { parseRupees } from '../../../core/money/index.js';
import { emptyBodyIsObject } from '../../../core/http/route-helpers.js';
import type { AmountRules, VirtualAccount, VirtualAccountStatus } from './model.js';
import {
  accountIdParams,
  accountNumberParams,
  accountPageResponse,
  accountResponse,
  createAccountBody,
  creditBody,
  creditPageResponse,
  creditResponse,
  creditsQuery,
  errors,
  searchBody,
  searchQuery,
  updateAccountBody,
  wireAccount,
  wireCredit,
} from './schemas.js';
import type { AccountUpdate, EcollectService } from './service.js';

const tag = { tags: ['Payment Gateway: e-collect'] };
const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;
const serialize = (r: { account: VirtualAccount; status: VirtualAccountStatus }) => wireAccount(r.account, r.status);

/** The amount rule of a body in paise; amounts are parsed with the wire's two-decimal rule. */
function rulesOf(body: {
  amountRule?: AmountRules['amountRule'] | undefined;
  amount?: number | undefined;
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
}): AmountRules {
  const paise = (value: number | undefined, field: string) => (value === undefined ? null : parseRupees(value, { field }));
  return {
    amountRule: body.amountRule ?? 'ANY',
    amountPaise: paise(body.amount, 'amount'),
    minAmountPaise: paise(body.minAmount, 'minAmount'),
    maxAmountPaise: paise(body.maxAmount, 'maxAmount'),
  };
}

/** E-Collect routes in the gateway scope under /api (reference §2.11; paths INFERRED). */
export function registerEcollectRoutes(app: FastifyInstance, ecollect: EcollectService): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/v0/virtual-account',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.create',
        summary: 'Create Virtual Account',
        body: createAccountBody,
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const created = await ecollect.create(
        company(request),
        {
          referenceId: b.referenceId,
          customerName: b.customerName,
          customerEmail: b.customerEmail,
          customerMobile: b.customerMobile,
          description: b.description,
          rules: rulesOf(b),
          allowedModes: b.allowedPaymentModes,
          allowedRemitters: b.allowedRemitters,
          closeBy: b.closeBy === undefined ? undefined : new Date(b.closeBy),
          notifyUrl: b.notifyUrl,
        },
        (tx, result) => completeIdempotency(tx, request, 200, envelope(serialize(result))).then(() => undefined),
      );
      return envelope(serialize(created));
    },
  );

  api.get(
    '/v0/virtual-account/:virtualAccountId',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.get',
        summary: 'View Virtual Account by Id',
        params: accountIdParams,
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => envelope(serialize(await ecollect.get(company(request), (request.params as { virtualAccountId: string }).virtualAccountId))),
  );

  api.get(
    '/v0/virtual-account/account/:accountNumber',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.getByAccountNumber',
        summary: 'View Virtual Account by Account Number',
        params: accountNumberParams,
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => envelope(serialize(await ecollect.getByAccountNumber(company(request), (request.params as { accountNumber: string }).accountNumber))),
  );

  api.patch(
    '/v0/virtual-account/:virtualAccountId',
    {
      config: { scope: 'write' },
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.update',
        summary: 'Update Virtual Account',
        params: accountIdParams,
        body: updateAccountBody,
        response: { 200: accountResponse, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const amountSent = b.amount !== undefined || b.minAmount !== undefined || b.maxAmount !== undefined;
      if (amountSent && b.amountRule === undefined)
        throw new ValidationError('Missing required field amountRule: send it with amount, minAmount or maxAmount', { param: 'amountRule' });
      const update: AccountUpdate = {
        ...(b.customerName === undefined ? {} : { customerName: b.customerName }),
        ...(b.customerEmail === undefined ? {} : { customerEmail: b.customerEmail }),
        ...(b.customerMobile === undefined ? {} : { customerMobile: b.customerMobile }),
        ...(b.description === undefined ? {} : { description: b.description }),
        ...(b.amountRule === undefined ? {} : { rules: rulesOf(b) }),
        ...(b.allowedPaymentModes === undefined ? {} : { allowedModes: b.allowedPaymentModes }),
        ...(b.allowedRemitters === undefined ? {} : { allowedRemitters: b.allowedRemitters }),
        ...(b.closeBy === undefined ? {} : { closeBy: b.closeBy === null ? null : new Date(b.closeBy) }),
        ...(b.notifyUrl === undefined ? {} : { notifyUrl: b.notifyUrl }),
        ...(b.status === 'CLOSED' ? { close: true } : {}),
      };
      return envelope(serialize(await ecollect.update(company(request), (request.params as { virtualAccountId: string }).virtualAccountId, update)));
    },
  );

  api.post(
    '/v0/virtual-account/search',
    {
      config: { scope: 'read', idempotency: 'off' },
      preValidation: emptyBodyIsObject,
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.search',
        summary: 'Search Virtual Accounts',
        querystring: searchQuery,
        body: searchBody,
        response: { 200: accountPageResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const b = request.body;
      const page = pageOf(q);
      const { rows, total } = await ecollect.search(
        company(request),
        {
          ...(b.referenceId === undefined ? {} : { referenceId: b.referenceId }),
          ...(b.accountNumber === undefined ? {} : { accountNumber: b.accountNumber }),
          ...(b.status === undefined ? {} : { status: b.status }),
          ...(b.customerMobile === undefined ? {} : { customerMobile: b.customerMobile }),
          ...(b.customerEmail === undefined ? {} : { customerEmail: b.customerEmail }),
          ...(b.createdFrom === undefined ? {} : { createdFrom: new Date(b.createdFrom) }),
          ...(b.createdTo === undefined ? {} : { createdTo: new Date(b.createdTo) }),
        },
        { ...page, orderBy: q.orderBy ?? 'created', direction: q.direction ?? 'DESC' },
      );
      return envelope(toPage(rows.map(serialize), total, page));
    },
  );

  api.get(
    '/v0/virtual-account/:virtualAccountId/credits',
    {
      config: { scope: 'read' },
      schema: {
        ...tag,
        operationId: 'gateway.virtualAccounts.credits',
        summary: 'Credits of a Virtual Account (Tijori extension)',
        params: accountIdParams,
        querystring: creditsQuery,
        response: { 200: creditPageResponse, ...errors },
      },
    },
    async (request) => {
      const page = pageOf(request.query);
      const { account, rows, total } = await ecollect.credits(company(request), (request.params as { virtualAccountId: string }).virtualAccountId, page);
      return envelope(
        toPage(
          rows.map((c) => wireCredit(c, account)),
          total,
          page,
        ),
      );
    },
  );
}

/**
 * `POST /api/v0/sandbox/virtual-account/credit` (Tijori extension), in the platform scope: OAuth
 * and merchant tokens; sandbox companies only, like the sandbox clock.
 */
export function registerEcollectSandboxRoutes(
  app: FastifyInstance,
  ecollect: EcollectService,
  isSandboxCompany: (companyId: string) => Promise<boolean>,
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/v0/sandbox/virtual-account/credit',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.virtualAccountCredit',
        summary: 'Simulate an inward credit to a virtual account (Tijori extension)',
        description:
          "The sandbox collection bank receives a NEFT, IMPS, RTGS or UPI credit for a virtual account (by `accountNumber` or `vpa`). A credit within the account's rules is CREDITED: " +
          "posted to the ledger and notified (VIRTUAL_ACCOUNT_CREDITED, to webhooks and the account's notifyUrl). One that breaks a rule is REJECTED (returned to the remitter) with its reason; " +
          'no money moves. The same UTR again answers the first credit. Only for companies in sandbox mode.',
        security: [{ bearer: [] }],
        body: creditBody,
        response: { 200: creditResponse, 403: errors[400], ...errors },
      },
    },
    async (request) => {
      const companyId = company(request);
      if (!(await isSandboxCompany(companyId))) throw new SandboxOnlyError('Inward credits can only be simulated for a company in sandbox mode');
      const b = request.body;
      if ((b.accountNumber === undefined) === (b.vpa === undefined)) {
        throw new ValidationError('Send exactly one of accountNumber or vpa', { param: b.accountNumber === undefined ? 'accountNumber' : 'vpa' });
      }
      // A VPA is reached through UPI only; NEFT, IMPS and RTGS name an account number.
      if (b.vpa !== undefined && b.mode !== 'UPI')
        throw new ValidationError(`Invalid field mode: a credit to a VPA comes by UPI, not ${b.mode}`, { param: 'mode' });
      const { credit, account } = await ecollect.credit(
        companyId,
        {
          target: b.vpa === undefined ? { accountNumber: b.accountNumber!, ifsc: b.ifsc } : { vpa: b.vpa },
          amountPaise: parseRupees(b.amount),
          mode: b.mode,
          remitterName: b.remitterName,
          remitterAccount: b.remitterAccount,
          remitterIfsc: b.remitterIfsc,
          remitterVpa: b.remitterVpa,
          utr: b.utr,
        },
        (tx, r) => completeIdempotency(tx, request, 200, envelope(wireCredit(r.credit, r.account))).then(() => undefined),
      );
      return envelope(wireCredit(credit, account));
    },
  );
}
