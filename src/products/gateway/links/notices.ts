import { formatInr } from '../../../core/money/index.js';
import type { NoticeInput } from '../../notices/index.js';
import type { PaymentLink } from './model.js';

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

function channels(link: PaymentLink, template: string, subject: string, sms: string, email: string): NoticeInput[] {
  const out: NoticeInput[] = [];
  const about = { relatedType: 'payment_link', relatedId: link.id, template };
  if (link.sendSms && link.customerMobile) out.push({ channel: 'SMS', recipient: link.customerMobile, subject: null, body: sms, ...about });
  if (link.sendEmail && link.customerEmail) out.push({ channel: 'EMAIL', recipient: link.customerEmail, subject, body: email, ...about });
  return out;
}

/** The notices of a new link, on the channels the merchant asked for (sendSms, sendEmail). */
export function linkNotices(link: PaymentLink, merchantName: string): NoticeInput[] {
  const what = link.description ? ` for ${link.description}` : '';
  const due = link.dueDate ? ` Due by ${dateOf(link.dueDate)}.` : '';
  return channels(
    link,
    'payment_link.created',
    `Payment request of ${formatInr(link.amountPaise)} from ${merchantName}`,
    `${merchantName} requests ${formatInr(link.amountPaise)}${what}. Pay here: ${link.paymentLink}${due}`,
    [
      `Dear ${link.customerName ?? 'customer'},`,
      '',
      `${merchantName} requests a payment of ${formatInr(link.amountPaise)}${what}.${due}`,
      '',
      `Pay securely here: ${link.paymentLink}`,
    ].join('\n'),
  );
}

/** The reminder at the due date of a link not paid in full. */
export function dueDateNotices(link: PaymentLink, merchantName: string, duePaise: bigint): NoticeInput[] {
  return channels(
    link,
    'payment_link.due_date',
    `Reminder: ${formatInr(duePaise)} due to ${merchantName}`,
    `Reminder: ${formatInr(duePaise)} to ${merchantName} was due today. Pay here: ${link.paymentLink}`,
    [
      `Dear ${link.customerName ?? 'customer'},`,
      '',
      `Your payment of ${formatInr(duePaise)} to ${merchantName} was due on ${dateOf(link.dueDate ?? link.createdAt)}.`,
      '',
      `Pay securely here: ${link.paymentLink}`,
    ].join('\n'),
  );
}
