/**
 * The catalogue of stable error codes (docs/errors.md): the core's and those each module declares
 * beside its AppError classes. A test checks that every class's code is listed once and documented.
 */
import { coreErrorCodes } from './core/errors/codes.js';
import { authIdentityErrorCodes } from './auth/identity/errors.js';
import { authMerchantErrorCodes } from './auth/merchant/errors.js';
import { bbpsErrorCodes } from './products/bbps/errors.js';
import { gatewayButtonErrorCodes } from './products/gateway/button/errors.js';
import { gatewayCheckoutErrorCodes } from './products/gateway/checkout/errors.js';
import { gatewayEcollectErrorCodes } from './products/gateway/ecollect/errors.js';
import { gatewayLinksErrorCodes } from './products/gateway/links/errors.js';
import { gatewayMandatesErrorCodes } from './products/gateway/mandates/errors.js';
import { gatewayOrdersErrorCodes } from './products/gateway/orders/errors.js';
import { gatewayPaymentsErrorCodes } from './products/gateway/payments/errors.js';
import { gatewayQrErrorCodes } from './products/gateway/qr/errors.js';
import { gatewayRefundsErrorCodes } from './products/gateway/refunds/errors.js';
import { gatewaySettlementsErrorCodes } from './products/gateway/settlements/errors.js';
import { gatewaySplitErrorCodes } from './products/gateway/split/errors.js';
import { payoutsErrorCodes } from './products/payouts/errors.js';
import { railsErrorCodes } from './rails/errors.js';
import { bulkErrorCodes } from './products/verification/bulk/errors.js';
import { verificationErrorCodes } from './products/verification/errors.js';

export const errorCatalogue: Record<string, string> = {
  ...coreErrorCodes,
  ...authIdentityErrorCodes,
  ...authMerchantErrorCodes,
  ...bbpsErrorCodes,
  ...gatewayButtonErrorCodes,
  ...gatewayCheckoutErrorCodes,
  ...gatewayEcollectErrorCodes,
  ...gatewayLinksErrorCodes,
  ...gatewayMandatesErrorCodes,
  ...gatewayOrdersErrorCodes,
  ...gatewayPaymentsErrorCodes,
  ...gatewayQrErrorCodes,
  ...gatewayRefundsErrorCodes,
  ...gatewaySettlementsErrorCodes,
  ...gatewaySplitErrorCodes,
  ...payoutsErrorCodes,
  ...railsErrorCodes,
  ...verificationErrorCodes,
  ...bulkErrorCodes,
};
