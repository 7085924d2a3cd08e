import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../../core/http/pagination.js';
import { rupeesSchema } from '../../../core/money/index.js';
import { AMOUNT_TYPES, BUTTON_STATUSES, MAX_FIELD_VALUE, MAX_FIELDS, STANDARD_FIELDS } from './model.js';

// Route schemas of the payment-button APIs (ADR 0022; docs/api/gateway-button.md). Every string is
// bounded: the public click route writes rows for anyone who holds a button id.

const nullable = <T extends object>(schema: T) => Type.Union([schema as never, Type.Null()]);
const url = (description: string) =>
  Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description, examples: ['https://shop.example/payments'] });
const rupees = (description: string) => Type.Number({ ...rupeesSchema, description });
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

const field = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 32,
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      description: `${STANDARD_FIELDS.join(', ')} fill the order's customerInfo; any other name is a custom field, sent in the order's customParameters`,
      examples: ['customerName'],
    }),
    label: Type.String({ minLength: 1, maxLength: 60, description: 'What the payer sees above the input', examples: ['Your name'] }),
    required: Type.Optional(Type.Boolean({ description: 'The payer must fill it (default false)' })),
  },
  { additionalProperties: false },
);

const definition = {
  title: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'What the payment is for; the description of every order the button makes',
    examples: ['Donate to the school library'],
  }),
  description: Type.String({ maxLength: 500, description: "Shown under the title in the payer's form" }),
  amountType: literals(AMOUNT_TYPES),
  amount: rupees('FIXED: the amount of every order, rupees with at most two decimals'),
  minAmount: rupees('PAYER_ENTERED: the least the payer may enter (default: no minimum)'),
  maxAmount: rupees('PAYER_ENTERED: the most the payer may enter (default: no maximum)'),
  fields: Type.Array(field, { maxItems: MAX_FIELDS, description: 'What the payer is asked for before the checkout, in this order' }),
  notifyUrl: url('Payment Notify of every order the button makes (reference §2.3)'),
  returnUrl: url('Where the checkout sends the payer back'),
  buttonLabel: Type.String({ minLength: 1, maxLength: 40, description: 'The button\'s text (default "Pay now")', examples: ['Donate'] }),
  buttonColor: Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: "The button's colour, #rrggbb", examples: ['#1f4fd1'] }),
};

export const createButtonBody = Type.Object(
  {
    title: definition.title,
    description: Type.Optional(definition.description),
    amountType: definition.amountType,
    amount: Type.Optional(definition.amount),
    minAmount: Type.Optional(definition.minAmount),
    maxAmount: Type.Optional(definition.maxAmount),
    fields: Type.Optional(definition.fields),
    notifyUrl: Type.Optional(definition.notifyUrl),
    returnUrl: Type.Optional(definition.returnUrl),
    buttonLabel: Type.Optional(definition.buttonLabel),
    buttonColor: Type.Optional(definition.buttonColor),
  },
  { additionalProperties: false },
);

export const updateButtonBody = Type.Object(
  {
    title: Type.Optional(definition.title),
    description: Type.Optional(nullable(definition.description)),
    amountType: Type.Optional(definition.amountType),
    amount: Type.Optional(definition.amount),
    minAmount: Type.Optional(nullable(definition.minAmount)),
    maxAmount: Type.Optional(nullable(definition.maxAmount)),
    fields: Type.Optional(definition.fields),
    notifyUrl: Type.Optional(nullable(definition.notifyUrl)),
    returnUrl: Type.Optional(nullable(definition.returnUrl)),
    buttonLabel: Type.Optional(definition.buttonLabel),
    buttonColor: Type.Optional(definition.buttonColor),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const buttonParams = Type.Object({
  buttonId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9]+$', description: 'The button id (BTN…)' }),
});

export const listButtonsQuery = Type.Object(
  {
    ...pageQueryProperties,
    status: Type.Optional(literals(BUTTON_STATUSES)),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the title, any case' })),
  },
  { additionalProperties: false },
);

const fieldView = Type.Object({ name: Type.String(), label: Type.String(), required: Type.Boolean() });

/** What anyone holding the button id sees (the embed script renders it). */
const publicProperties = {
  buttonId: Type.String({ examples: ['BTN1767225600000aB3xZ'] }),
  title: Type.String(),
  description: nullable(Type.String()),
  amountType: literals(AMOUNT_TYPES),
  amount: nullable(Type.Number({ description: 'FIXED: rupees' })),
  minAmount: nullable(Type.Number()),
  maxAmount: nullable(Type.Number()),
  fields: Type.Array(fieldView),
  buttonLabel: Type.String(),
  buttonColor: Type.String(),
  status: literals(BUTTON_STATUSES),
};

export const publicButtonView = Type.Object(publicProperties);

export const buttonView = Type.Object({
  ...publicProperties,
  notifyUrl: nullable(Type.String()),
  returnUrl: nullable(Type.String()),
  paymentsCount: Type.Integer({ description: 'Payments captured on the orders the button made' }),
  amountCollected: Type.Number({ description: 'Their amount, rupees (before refunds; fees excluded)' }),
  embedCode: Type.String({ description: 'The HTML to paste in a page: the script tag of /pay/button.js with this button' }),
  createdOn: Type.String({ format: 'date-time' }),
  lastModified: Type.String({ format: 'date-time' }),
});

export const clickBody = Type.Object(
  {
    amount: Type.Optional(
      Type.Union([Type.Number({ ...rupeesSchema }), Type.String({ maxLength: 20, pattern: '^[0-9]*(\\.[0-9]*)?$' })], {
        description: "PAYER_ENTERED: the payer's amount, rupees (a number, or the text of the input)",
      }),
    ),
    fields: Type.Optional(
      Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: MAX_FIELD_VALUE }), {
        maxProperties: MAX_FIELDS,
        description: "The values of the button's fields, by name",
      }),
    ),
  },
  { additionalProperties: false },
);

export const clickView = Type.Object({
  orderId: Type.String({ description: "EnKash's order id of the new order" }),
  merchantOrderId: Type.String({ description: 'The merchant orderId made for the click: <buttonId>-<10 characters>' }),
  amount: Type.Number(),
  checkoutUrl: Type.String({ description: 'The hosted checkout of the order, where the script sends the payer' }),
});

export const buttonResponse = envelopeSchema(buttonView, 'The payment button');
export const buttonPageResponse = envelopeSchema(pageSchema(buttonView), 'A page of payment buttons');
export const publicButtonResponse = envelopeSchema(publicButtonView, 'The button as the embed script renders it');
export const clickResponse = envelopeSchema(clickView, 'The order made for the click');
export const errors = { 400: errorEnvelopeSchema, 404: errorEnvelopeSchema, 409: errorEnvelopeSchema, 422: errorEnvelopeSchema } as const;
