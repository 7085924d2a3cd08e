import type { LinkStatus } from '../products/gateway/links/index.js';

/**
 * Statuses as a customer reads them: the pages never show a wire status (`PARTIALLY_PAID`); the
 * API keeps those. Every status has its label, so a new one fails the type check here.
 */
const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  ACTIVE: 'Awaiting payment',
  PARTIALLY_PAID: 'Partly paid',
  PAID: 'Paid',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled',
};

export const linkStatusLabel = (status: LinkStatus): string => LINK_STATUS_LABELS[status];
