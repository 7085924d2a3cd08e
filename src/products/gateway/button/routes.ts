import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { envelope } from '../../../core/http/envelope.js';
import { pageOf, toPage } from '../../../core/http/pagination.js';
import { formatRupees, parseRupees } from '../../../core/money/index.js';
import { publicBase } from '../../../core/http/route-helpers.js';
import type { PaymentButton } from './model.js';
import { buttonPageResponse, buttonParams, buttonResponse, createButtonBody, errors, listButtonsQuery, updateButtonBody } from './schemas.js';
import type { ButtonInput, ButtonsService, ButtonWithTotals } from './service.js';

export const TAG = ['Payment Gateway: payment buttons'];

const rupeesOrNull = (paise: bigint | null) => (paise === null ? null : formatRupees(paise));

/** The fields anyone holding the button id may see (the embed script's view). */
export function wirePublicButton(b: PaymentButton) {
  return {
    buttonId: b.id,
    title: b.title,
    description: b.description,
    amountType: b.amountType,
    amount: rupeesOrNull(b.amountPaise),
    minAmount: rupeesOrNull(b.minAmountPaise),
    maxAmount: rupeesOrNull(b.maxAmountPaise),
    fields: b.fields,
    buttonLabel: b.buttonLabel,
    buttonColor: b.buttonColor,
    status: b.status,
  };
}

/** The snippet a merchant pastes in a page (docs/api/gateway-button.md). */
export function embedCode(base: string, buttonId: string): string {
  return `<script src="${base}/pay/button.js" data-button-id="${buttonId}" async></script>`;
}

export function wireButton(b: ButtonWithTotals, base: string) {
  return {
    ...wirePublicButton(b),
    notifyUrl: b.notifyUrl,
    returnUrl: b.returnUrl,
    paymentsCount: b.totals.paymentsCount,
    amountCollected: formatRupees(b.totals.amountCollectedPaise),
    embedCode: embedCode(base, b.id),
    createdOn: b.createdAt.toISOString(),
    lastModified: b.updatedAt.toISOString(),
  };
}

type Body = Partial<Static<typeof updateButtonBody>>;

/** Rupees to paise (a third decimal is refused with the field's name); null and absent pass through. */
function definitionOf(body: Body): ButtonInput {
  const paise = (value: number | null | undefined, field: string) => (value === undefined || value === null ? value : parseRupees(value, { field }));
  const { amount, minAmount, maxAmount, fields, ...rest } = body;
  return {
    ...rest,
    ...(amount === undefined ? {} : { amountPaise: paise(amount, 'amount') }),
    ...(minAmount === undefined ? {} : { minAmountPaise: paise(minAmount, 'minAmount') }),
    ...(maxAmount === undefined ? {} : { maxAmountPaise: paise(maxAmount, 'maxAmount') }),
    ...(fields === undefined ? {} : { fields: fields.map((f) => ({ name: f.name, label: f.label, required: f.required ?? false })) }),
  } as ButtonInput;
}

/** Payment-button routes under /api, merchant token (ADR 0022; docs/api/gateway-button.md). */
export function registerButtonRoutes(app: FastifyInstance, buttons: ButtonsService, options: { publicUrl?: string | undefined }): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const company = (request: { principal?: { companyId: string } }) => request.principal!.companyId;
  const wire = (request: FastifyRequest) => (b: ButtonWithTotals) => wireButton(b, publicBase(request, options.publicUrl));
  const idOf = (request: { params: Static<typeof buttonParams> }) => request.params.buttonId;

  // Untyped (`app`): typebox infers `never` for this body's amountType union, so the body keeps its cast.
  app.post(
    '/v0/payment-button',
    {
      config: { scope: 'write' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.create',
        summary: 'Create Payment Button',
        body: createButtonBody,
        response: { 200: buttonResponse, ...errors },
      },
    },
    async (request) => envelope(wire(request)(await buttons.create(company(request), request.merchant?.accessKey ?? null, definitionOf(request.body as Body)))),
  );

  api.get(
    '/v0/payment-button',
    {
      config: { scope: 'read' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.list',
        summary: 'List or search payment buttons (oldest first)',
        querystring: listButtonsQuery,
        response: { 200: buttonPageResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const page = pageOf(q);
      const { rows, total } = await buttons.list(company(request), { status: q.status, title: q.title }, page);
      return envelope(toPage(rows.map(wire(request)), total, page));
    },
  );

  api.get(
    '/v0/payment-button/:buttonId',
    {
      config: { scope: 'read' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.get',
        summary: 'Get Payment Button (with its totals)',
        params: buttonParams,
        response: { 200: buttonResponse, ...errors },
      },
    },
    async (request) => envelope(wire(request)(await buttons.get(company(request), idOf(request)))),
  );

  api.patch(
    '/v0/payment-button/:buttonId',
    {
      config: { scope: 'write' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.update',
        summary: 'Edit Payment Button',
        params: buttonParams,
        body: updateButtonBody,
        response: { 200: buttonResponse, ...errors },
      },
    },
    async (request) => envelope(wire(request)(await buttons.update(company(request), idOf(request), definitionOf(request.body as Body)))),
  );

  api.patch(
    '/v0/payment-button/:buttonId/deactivate',
    {
      config: { scope: 'write' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.deactivate',
        summary: 'Deactivate Payment Button (clicks are refused)',
        params: buttonParams,
        response: { 200: buttonResponse, ...errors },
      },
    },
    async (request) => envelope(wire(request)(await buttons.deactivate(company(request), idOf(request)))),
  );

  api.patch(
    '/v0/payment-button/:buttonId/activate',
    {
      config: { scope: 'write' },
      schema: {
        tags: TAG,
        operationId: 'gateway.buttons.activate',
        summary: 'Activate Payment Button',
        params: buttonParams,
        response: { 200: buttonResponse, ...errors },
      },
    },
    async (request) => envelope(wire(request)(await buttons.activate(company(request), idOf(request)))),
  );
}
