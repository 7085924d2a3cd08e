import { Type, type Static, type TSchema } from 'typebox';
import { envelopeSchema } from '../../core/http/envelope.js';
import { pageSchema } from '../../core/http/pagination.js';
import { rupeesSchema } from '../../core/money/index.js';
import { BILLER_TYPES, CIRCLES } from '../../rails/bbps/index.js';
import { APPROVAL_STATUSES, BILLPAY_STATUSES, DOCUMENTED_PAYMENT_STATUSES, PAYMENT_MODES, PAYMENT_STATUSES } from './model.js';

/** Route schemas of Bill Payments (reference §4): validation and /openapi.json. Field names are EnKash's, letter for letter. */

/** A string enum with its TypeScript union (Type.Union of mapped literals loses it). */
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const str = (description?: string) => Type.String(description ? { description } : {});
const rupees = Type.Number({ ...rupeesSchema });
const nullRupees = Type.Union([Type.Number(), Type.Null()]);
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const date = (description: string) => Type.String({ pattern: DATE, description, examples: ['2025-05-10'] });

export const circleSchema = enumOf(CIRCLES, 'EnKash circle (reference §4)');
export const billParamsSchema = Type.Object(
  {
    cn: Type.String({ minLength: 1, maxLength: 50, description: 'Consumer / account number (required)' }),
    ad1: Type.Optional(Type.String({ maxLength: 100 })),
    ad2: Type.Optional(Type.String({ maxLength: 100 })),
    ad3: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false, description: "The biller's input parameters (`billInputParams` of GET /api/v0/biller)" },
);
export const billerIdSchema = Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Biller id (int32) from GET /api/v0/biller', examples: [1001] });
const referenceId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Your unique reference; a repeat is refused with response_code 38',
  examples: ['BILL-2025-0001'],
});
export const emailSchema = Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', examples: ['accounts@example.com'] });

// ---- catalogue -------------------------------------------------------------------------------

export const billerTypesResponse = envelopeSchema(
  Type.Array(Type.Object({ billerType: Type.String(), name: Type.String(), billerCount: Type.Integer() })),
  'Biller categories',
);

export const billerQuery = Type.Object(
  {
    billerType: Type.Optional(
      enumOf(
        BILLER_TYPES.map((t) => t.billerType),
        'A category of GET /api/v0/biller/types',
      ),
    ),
    circle: Type.Optional(circleSchema),
  },
  { additionalProperties: false },
);

const biller = Type.Object({
  billerId: Type.Integer(),
  billerName: Type.String(),
  billerType: Type.String(),
  circles: Type.Array(Type.String()),
  billInputParams: Type.Array(Type.Object({ paramName: Type.String(), displayName: Type.String(), regex: Type.String(), optional: Type.Boolean() })),
  fetchRequirement: Type.String({ enum: ['MANDATORY', 'OPTIONAL', 'NOT_SUPPORTED'] }),
  paymentAmountExactness: Type.String({ enum: ['EXACT', 'EXACT_AND_ABOVE', 'ANY'] }),
  status: Type.String({ enum: ['ACTIVE', 'INACTIVE'] }),
});
export const billersResponse = envelopeSchema(Type.Array(biller), 'Billers of the catalogue');

// ---- fetch -----------------------------------------------------------------------------------

export const fetchBillBody = Type.Object(
  {
    billerId: billerIdSchema,
    circle: Type.Optional(circleSchema),
    billParams: billParamsSchema,
    addBiller: Type.Optional(Type.Boolean({ description: 'Mark the consumer active for automatic bill fetch' })),
    remarks: Type.Optional(Type.String({ maxLength: 500 })),
    keyContactEmail: Type.Optional(emailSchema),
  },
  { additionalProperties: false },
);
export type FetchBillBody = Static<typeof fetchBillBody>;

export const billFetchPayload = Type.Object({
  companyBillerId: Type.String({ examples: ['CBL7K2M9Q4XA1'] }),
  billNumber: nullable(str()),
  userName: nullable(str('Consumer name as the biller has it')),
  billAmount: nullRupees,
  billdate: nullable(str()),
  dueDate: nullable(str()),
  billPeriod: nullable(str()),
  billnetamount: Type.Union([Type.Number({ description: 'Payable today: with the late fee once overdue, early amount before the early date' }), Type.Null()]),
  earlyPaymentAmount: nullRupees,
  earlyPaymentDate: nullable(str()),
  latePaymentAmount: nullRupees,
  actualDueDate: nullable(str()),
  statusMessage: nullable(str('Why no bill was returned')),
  billId: nullable(str()),
  validationId: nullable(str('Send it to POST /api/v2/utilityPayment')),
  billStartDate: nullable(str()),
  billEnddate: nullable(str()),
});
export type BillFetchPayload = Static<typeof billFetchPayload>;
export const billFetchResponse = envelopeSchema(billFetchPayload, 'The current bill (response_code 0), or no bill due (response_code 1 with statusMessage)');

// ---- create ----------------------------------------------------------------------------------

/** Optional and nullable: a fetch answer holds `null` where the biller has no value (reference §4). */
const maybe = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const netAmount = Type.Number({ ...rupeesSchema, minimum: 1, description: 'The amount paid, rupees ≥ 1 with at most two decimals' });
/**
 * Create Bill After Successful Bill Fetch. Besides its documented fields it takes the fetch
 * answer's own spellings (`billnetamount`, `billdate`, `dueDate`, `billEnddate`) and its
 * informational fields, nulls included, so a client may send the fetch payload back as it came
 * (issue 15). One of `billNetAmount` and `billnetamount` is required; if both, they must agree.
 */
export const createAfterFetchBody = Type.Object(
  {
    referenceId: Type.Optional(referenceId),
    companyBillerId: Type.String({ minLength: 1, maxLength: 64 }),
    billNetAmount: maybe(netAmount),
    billAmount: rupees,
    earlyPaymentAmount: maybe(rupees),
    latePaymentAmount: maybe(rupees),
    billDate: maybe(date('Bill date')),
    earlyPaymentDate: maybe(date('Early payment date')),
    billDueDate: maybe(date('Due date')),
    actualDueDate: maybe(date('Actual due date')),
    billStartDate: maybe(date('Period start')),
    billEndDate: maybe(date('Period end')),
    billNumber: maybe(Type.String({ maxLength: 100 })),
    validationId: maybe(Type.String({ maxLength: 100 })),
    billId: maybe(Type.String({ maxLength: 100 })),
    // The fetch answer's spellings (BillFetchResponse).
    billnetamount: maybe(netAmount),
    billdate: maybe(date('Bill date (fetch answer spelling)')),
    dueDate: maybe(date('Due date (fetch answer spelling)')),
    billEnddate: maybe(date('Period end (fetch answer spelling)')),
    userName: maybe(Type.String({ maxLength: 200, description: 'From the fetch answer; not used' })),
    billPeriod: maybe(Type.String({ maxLength: 50, description: 'From the fetch answer; not used' })),
    statusMessage: maybe(Type.String({ maxLength: 500, description: 'From the fetch answer; not used' })),
  },
  { additionalProperties: false },
);
export type CreateAfterFetchBody = Static<typeof createAfterFetchBody>;

const optionalText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
export const addBillBody = Type.Object(
  {
    referenceId: Type.Optional(referenceId),
    billerId: billerIdSchema,
    circle: Type.Optional(circleSchema),
    billParams: billParamsSchema,
    billAmount: rupees,
    remarks: optionalText(500),
    autoDebit: Type.Optional(
      Type.String({ pattern: '^BKC[A-Z0-9]{9}$', description: 'EnKash bank card id; accepted and recorded, Tijori always debits the company balance' }),
    ),
    keyContactEmail: Type.Optional(emailSchema),
    billDueDate: Type.Optional(date('Due date')),
    billDate: Type.Optional(date('Bill date')),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'Consumer name' })),
    email: Type.Optional(emailSchema),
    // Fields of EnKash's newest example (reference §4): accepted so that its clients are not refused; not used.
    companyId: Type.Optional(Type.String({ description: 'If sent, must be the company of the token (412 Invalid Company ID)' })),
    branchCode: optionalText(100),
    failureReason: optionalText(500),
    recoverableAmount: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    commencementDate: optionalText(40),
    bankCardId: optionalText(20),
    fileName: optionalText(255),
    base64File: optionalText(2_000_000),
    mimeType: optionalText(100),
    virtualAccountNo: optionalText(40),
    ifsc: optionalText(11),
    walletId: optionalText(40),
    otpMedium: optionalText(20),
    otp: optionalText(10),
    otpReferenceId: optionalText(64),
  },
  { additionalProperties: false },
);
export type AddBillBody = Static<typeof addBillBody>;

export const billAddPayload = Type.Object({
  amount: Type.Number(),
  consumerNumber: Type.String(),
  billdate: nullable(str()),
  billDueDate: nullable(str()),
  createdDate: Type.String({ examples: ['2025-05-12T14:30:25'] }),
  utilityEnkashId: Type.String({ examples: ['UTIL-7K2M9Q4XA1BC'] }),
  referenceId: nullable(str()),
  approvalStatus: Type.String({ description: 'Tijori addition' }),
  paymentStatus: Type.String({ description: 'Tijori addition' }),
  billpayStatus: Type.String({ description: 'Tijori addition' }),
});
export const billAddResponse = envelopeSchema(billAddPayload, 'The bill created (BillAddResponse)');

// ---- approval, status, search ------------------------------------------------------------------

export const approvalBody = Type.Object(
  {
    utilityPaymentIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
    approvalStatus: Type.Literal('CHECKER_APPROVED'),
    remarks: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ApprovalBody = Static<typeof approvalBody>;
export const approvalResponse = envelopeSchema(Type.Null(), 'Approved: every bill is debited and sent to its biller');

/** UtilityPaymentV2Response (reference §4), plus referenceId, billerId and companyBillerId. */
export const statusPayload = Type.Object({
  companyName: Type.String(),
  utilityEnkashId: Type.String(),
  referenceId: Type.Union([Type.String(), Type.Null()]),
  billerId: Type.Integer(),
  companyBillerId: Type.String(),
  amount: Type.Number(),
  consumerNumber: Type.String(),
  consumerName: Type.Union([Type.String(), Type.Null()]),
  billDate: Type.Union([Type.String(), Type.Null()]),
  billDueDate: Type.Union([Type.String(), Type.Null()]),
  createdDate: Type.String(),
  billNumber: Type.Union([Type.String(), Type.Null()]),
  billerBillNumber: Type.Union([Type.String(), Type.Null()]),
  numberOfUnits: Type.Null(),
  approvalStatus: enumOf(APPROVAL_STATUSES),
  approvalRemarks: Type.Union([Type.String(), Type.Null()]),
  paymentStatus: enumOf(PAYMENT_STATUSES),
  billpayStatus: enumOf(BILLPAY_STATUSES),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  failureCode: Type.Union([Type.String(), Type.Null()]),
  paymentDate: Type.Union([Type.String(), Type.Null()]),
  billpayDate: Type.Union([Type.String(), Type.Null()]),
  paymentMode: enumOf(
    PAYMENT_MODES,
    "ACCOUNT_TRANSFER (balance debit, and every bill not paid through the Payment Gateway), else the captured gateway payment's mode",
  ),
  approvedDate: Type.Union([Type.String(), Type.Null()]),
  billReferenceId: Type.Union([Type.String(), Type.Null()]),
  billStartDate: Type.Union([Type.String(), Type.Null()]),
  billEndDate: Type.Union([Type.String(), Type.Null()]),
  remarks: Type.Union([Type.String(), Type.Null()]),
});
export type StatusPayload = Static<typeof statusPayload>;
export const statusResponse = envelopeSchema(statusPayload, 'The utility payment');

export const idParams = Type.Object({ utilityEnkashId: Type.String({ minLength: 1, maxLength: 64 }) });
export const referenceParams = Type.Object({ referenceId: Type.String({ minLength: 1, maxLength: 64 }) });

export const SEARCH_MAX_LIMIT = 99;
export const searchBody = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: SEARCH_MAX_LIMIT, default: 20, description: 'Rows per page: EnKash says "set limit < 100"' }),
    utilityEnkashId: Type.Optional(Type.String({ maxLength: 64 })),
    referenceId: Type.Optional(Type.String({ maxLength: 64 })),
    consumerNumber: Type.Optional(Type.String({ maxLength: 50 })),
    billerId: Type.Optional(billerIdSchema),
    approvalStatus: Type.Optional(enumOf(APPROVAL_STATUSES)),
    paymentStatus: Type.Optional(enumOf(DOCUMENTED_PAYMENT_STATUSES)),
    billpayStatus: Type.Optional(enumOf(BILLPAY_STATUSES)),
    fromDate: Type.Optional(date('Created on or after this IST date')),
    toDate: Type.Optional(date('Created on or before this IST date')),
  },
  { additionalProperties: false },
);
export type SearchBody = Static<typeof searchBody>;
export const searchResponse = envelopeSchema(pageSchema(statusPayload), 'Newest first; filters are ANDed');

export const settingsResponse = envelopeSchema(
  Type.Object({
    autoDebit: Type.Boolean({ description: 'Bills are debited when created, without maker-checker approval' }),
    maxBillsPerConsumerPerDay: Type.Integer({ description: 'More bills for one consumer of a biller in an IST day: response_code 36' }),
    maxAmountPerConsumerPerDay: Type.Number({ description: 'More rupees for one consumer of a biller in an IST day: response_code 37' }),
  }),
  "The company's Bill Payments settings",
);
