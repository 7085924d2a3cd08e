import { describe, expect, it } from 'vitest';
import { checkDefinition, clickOrderId, orderForClick, type ButtonDefinition, type PaymentButton } from './model.js';

const definition: ButtonDefinition = {
  title: 'Fees',
  description: null,
  amountType: 'PAYER_ENTERED',
  amountPaise: null,
  minAmountPaise: 1000n,
  maxAmountPaise: 500000n,
  fields: [
    { name: 'customerName', label: 'Name', required: true },
    { name: 'customerEmail', label: 'Email', required: false },
    { name: 'customerMobile', label: 'Mobile', required: false },
    { name: 'rollNo', label: 'Roll number', required: true },
  ],
  notifyUrl: null,
  returnUrl: null,
  buttonLabel: 'Pay',
  buttonColor: '#000000',
};
const button: PaymentButton = {
  ...definition,
  id: 'BTN1767225600000aB3xZ',
  companyId: 'CEK1GZBO6A',
  accessKey: null,
  status: 'ACTIVE',
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

describe('a click against its button', () => {
  it('maps standard fields to customerInfo and the rest, with the button id, to customParameters', () => {
    expect(
      orderForClick(button, { amount: '250.50', fields: { customerName: ' Asha ', customerMobile: '9876543210', rollNo: 'R-12', customerEmail: '' } }),
    ).toEqual({
      amountPaise: 25050n,
      customerInfo: { firstName: 'Asha', phoneNumber: '9876543210' },
      customParameters: { paymentButtonId: button.id, rollNo: 'R-12' },
    });
  });

  it('reads only the values the payer sent for fields named like Object.prototype members', () => {
    const protoNamed: PaymentButton = {
      ...button,
      fields: [
        { name: 'constructor', label: 'Constructor', required: false },
        { name: 'toString', label: 'To string', required: true },
      ],
    };
    expect(() => orderForClick(protoNamed, { amount: 10, fields: {} })).toThrow(/Missing required field To string/);
    expect(orderForClick(protoNamed, { amount: 10, fields: { toString: 'T-1' } }).customParameters).toEqual({ paymentButtonId: button.id, toString: 'T-1' });
    expect(orderForClick(protoNamed, { amount: 10, fields: { toString: 'T-1', constructor: 'C-2' } }).customParameters).toEqual({
      paymentButtonId: button.id,
      toString: 'T-1',
      constructor: 'C-2',
    });
  });

  it('keeps the amount within the range, inclusive', () => {
    const fields = { customerName: 'A', rollNo: '1' };
    expect(orderForClick(button, { amount: 10, fields }).amountPaise).toBe(1000n);
    expect(orderForClick(button, { amount: 5000, fields }).amountPaise).toBe(500000n);
    expect(() => orderForClick(button, { amount: 9.99, fields })).toThrow(/minimum is ₹10.00/);
    expect(() => orderForClick(button, { amount: 5000.01, fields })).toThrow(/maximum is ₹5000.00/);
    expect(() =>
      orderForClick({ ...button, amountType: 'FIXED', amountPaise: 700n, minAmountPaise: null, maxAmountPaise: null }, { amount: '7.00', fields }),
    ).not.toThrow();
  });

  it('makes a merchant order id unique to each click, within the order id rules', () => {
    const ids = new Set(Array.from({ length: 50 }, () => clickOrderId(button.id)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^BTN1767225600000aB3xZ-[A-Za-z0-9]{10}$/);
  });
});

describe('a definition', () => {
  it('holds together: amounts for its type, a non-empty range, field names once', () => {
    expect(() => checkDefinition(definition)).not.toThrow();
    expect(() => checkDefinition({ ...definition, minAmountPaise: null, maxAmountPaise: null })).not.toThrow();
    expect(() => checkDefinition({ ...definition, minAmountPaise: 600000n })).toThrow(/above maxAmount/);
    expect(() => checkDefinition({ ...definition, amountType: 'FIXED', minAmountPaise: null, maxAmountPaise: null })).toThrow(/amount/);
    expect(() => checkDefinition({ ...definition, fields: [...definition.fields, { name: 'rollNo', label: 'Again', required: false }] })).toThrow(
      /fields\[4\]\.name/,
    );
  });
});
