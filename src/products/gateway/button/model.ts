import { randomChars } from '../../../core/ids/ids.js';
import { ValidationError } from '../../../core/errors/app-error.js';
import { CardNumberInTextError, holdsCardNumber } from '../../../core/http/input-guard.js';
import { formatAmountString, parseRupees } from '../../../core/money/index.js';
import { CUSTOMER_EMAIL_PATTERN, CUSTOMER_MOBILE_PATTERN, type CustomerInfo } from '../index.js';

/** Button statuses: a deactivated button takes no click (activate / deactivate). */
export const BUTTON_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type ButtonStatus = (typeof BUTTON_STATUSES)[number];

export const AMOUNT_TYPES = ['FIXED', 'PAYER_ENTERED'] as const;
export type AmountType = (typeof AMOUNT_TYPES)[number];

/**
 * The fields a button may ask for that fill the order's `customerInfo`; any other name is a custom
 * field, carried to the order's `customParameters` (and so to Payment Notify and webhooks).
 */
export const STANDARD_FIELDS = ['customerName', 'customerEmail', 'customerMobile'] as const;
/** The `customParameters` key naming the button that made an order. */
export const BUTTON_PARAMETER = 'paymentButtonId';
export const MAX_FIELDS = 10;
/** Longest value a payer may type in a field (bounds the rows a public click can write). */
export const MAX_FIELD_VALUE = 200;
export const DEFAULT_BUTTON_LABEL = 'Pay now';
export const DEFAULT_BUTTON_COLOR = '#1f4fd1';

// The order's own rules: a click the order would refuse is refused here, naming the payer's field.
const EMAIL = new RegExp(CUSTOMER_EMAIL_PATTERN);
const MOBILE = new RegExp(CUSTOMER_MOBILE_PATTERN);

export interface ButtonField {
  name: string;
  label: string;
  required: boolean;
}

export interface PaymentButton {
  id: string;
  companyId: string;
  accessKey: string | null;
  title: string;
  description: string | null;
  amountType: AmountType;
  amountPaise: bigint | null;
  minAmountPaise: bigint | null;
  maxAmountPaise: bigint | null;
  fields: ButtonField[];
  notifyUrl: string | null;
  returnUrl: string | null;
  buttonLabel: string;
  buttonColor: string;
  status: ButtonStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** The parts of a button a merchant defines (create, or the result of an edit). */
export type ButtonDefinition = Pick<
  PaymentButton,
  | 'title'
  | 'description'
  | 'amountType'
  | 'amountPaise'
  | 'minAmountPaise'
  | 'maxAmountPaise'
  | 'fields'
  | 'notifyUrl'
  | 'returnUrl'
  | 'buttonLabel'
  | 'buttonColor'
>;

export interface ButtonTotals {
  paymentsCount: number;
  amountCollectedPaise: bigint;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `BTN` + epoch ms + 5 letters/digits, as EnKash's order id (reference §12). */
export function newButtonId(at: Date): string {
  return `BTN${at.getTime()}${randomChars(ALNUM, 5)}`;
}

/** The merchant `orderId` of a click: unique per click, and naming its button for the merchant's books. */
export function clickOrderId(buttonId: string): string {
  return `${buttonId}-${randomChars(ALNUM, 10)}`;
}

/**
 * Checks the rules a schema cannot express: the amount fields that go with the amount type, a
 * range that is not empty, field names used once.
 * @throws validation_failed naming the field
 */
export function checkDefinition(d: ButtonDefinition): void {
  const invalid = (param: string, message: string) => new ValidationError(message, { param });
  if (d.amountType === 'FIXED') {
    if (d.amountPaise === null) throw invalid('amount', 'Missing required field amount: a FIXED button has an amount');
    if (d.minAmountPaise !== null || d.maxAmountPaise !== null)
      throw invalid('minAmount', 'Invalid field minAmount: minAmount and maxAmount are for PAYER_ENTERED buttons');
  } else {
    if (d.amountPaise !== null) throw invalid('amount', 'Invalid field amount: a PAYER_ENTERED button takes minAmount and maxAmount, not amount');
    if (d.minAmountPaise !== null && d.maxAmountPaise !== null && d.minAmountPaise > d.maxAmountPaise) {
      throw invalid('minAmount', 'Invalid field minAmount: it is above maxAmount');
    }
  }
  // Free text that reaches orders, notify bodies and the payer's form: never a card number (PCI DSS 3.4).
  for (const [param, text] of [['title', d.title], ['buttonLabel', d.buttonLabel], ...d.fields.map((f, i) => [`fields[${i}].label`, f.label])] as const) {
    if (holdsCardNumber(text))
      throw new CardNumberInTextError(`Invalid field ${param}: it holds a card number; card numbers are accepted only in card fields`, { param });
  }
  const seen = new Set<string>();
  for (const [i, field] of d.fields.entries()) {
    if (seen.has(field.name)) throw invalid(`fields[${i}].name`, `Invalid field fields[${i}].name: ${field.name} appears more than once`);
    if (field.name === BUTTON_PARAMETER) throw invalid(`fields[${i}].name`, `Invalid field fields[${i}].name: ${BUTTON_PARAMETER} is reserved`);
    seen.add(field.name);
  }
}

/** What a payer's click sends: an amount (PAYER_ENTERED buttons) and the values of the button's fields. */
export interface ClickInput {
  amount?: number | string | undefined;
  fields?: Record<string, string> | undefined;
}

export interface ClickOrder {
  amountPaise: bigint;
  customerInfo: CustomerInfo | undefined;
  customParameters: Record<string, string>;
}

/**
 * The order a click asks for, checked against the button: the amount (the button's, or the
 * payer's within the range), every required field present, no field the button does not ask for.
 * @throws validation_failed naming the field (a message the embedded button shows the payer)
 */
export function orderForClick(button: PaymentButton, input: ClickInput): ClickOrder {
  const invalid = (param: string, message: string) => new ValidationError(message, { param });
  let amountPaise: bigint;
  if (button.amountType === 'FIXED') {
    amountPaise = button.amountPaise!;
    if (input.amount !== undefined && parseRupees(input.amount, { field: 'amount' }) !== amountPaise) {
      throw invalid('amount', `Invalid field amount: this button takes ₹${formatAmountString(amountPaise, 'INR')}`);
    }
  } else {
    if (input.amount === undefined || input.amount === '') throw invalid('amount', 'Missing required field amount: enter the amount to pay');
    amountPaise = parseRupees(input.amount, { field: 'amount' });
    if (button.minAmountPaise !== null && amountPaise < button.minAmountPaise) {
      throw invalid('amount', `Invalid field amount: the minimum is ₹${formatAmountString(button.minAmountPaise, 'INR')}`);
    }
    if (button.maxAmountPaise !== null && amountPaise > button.maxAmountPaise) {
      throw invalid('amount', `Invalid field amount: the maximum is ₹${formatAmountString(button.maxAmountPaise, 'INR')}`);
    }
  }
  const values = input.fields ?? {};
  const asked = new Map(button.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(values)) {
    if (!asked.has(name)) throw invalid(`fields.${name}`, `Invalid field fields.${name}: this button does not ask for it`);
  }
  const customerInfo: CustomerInfo = {};
  const customParameters: Record<string, string> = { [BUTTON_PARAMETER]: button.id };
  for (const field of button.fields) {
    // Own keys only: a field named like an Object.prototype member (`constructor`, `toString`) must not read the inherited function.
    const value = (Object.hasOwn(values, field.name) ? values[field.name]! : '').trim();
    if (value === '') {
      if (field.required) throw invalid(`fields.${field.name}`, `Missing required field ${field.label}`);
      continue;
    }
    // What a payer types is stored in the order and sent in Payment Notify: never a card number.
    if (holdsCardNumber(value))
      throw new CardNumberInTextError(`Invalid field ${field.label}: card numbers are accepted only on the checkout's card form`, {
        param: `fields.${field.name}`,
      });
    if (field.name === 'customerEmail') {
      if (!EMAIL.test(value) || value.length > 254) throw invalid('fields.customerEmail', `Invalid field ${field.label}: not an email address`);
      customerInfo.email = value;
    } else if (field.name === 'customerMobile') {
      if (!MOBILE.test(value)) throw invalid('fields.customerMobile', `Invalid field ${field.label}: a 10-digit Indian mobile number`);
      customerInfo.phoneNumber = value;
    } else if (field.name === 'customerName') {
      if (value.length > 100) throw invalid('fields.customerName', `Invalid field ${field.label}: at most 100 characters`);
      customerInfo.firstName = value;
    } else {
      customParameters[field.name] = value;
    }
  }
  return { amountPaise, customerInfo: Object.keys(customerInfo).length > 0 ? customerInfo : undefined, customParameters };
}
