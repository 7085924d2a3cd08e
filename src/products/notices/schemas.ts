import { Type } from 'typebox';
import { envelopeSchema, errorEnvelopeSchema } from '../../core/http/envelope.js';
import { pageQueryProperties, pageSchema } from '../../core/http/pagination.js';
import { NOTICE_CHANNELS, type Notice } from './model.js';

const TEXT = { minLength: 1, maxLength: 254, pattern: '^[^\\x00-\\x1f]+$' } as const;

export const outboxQuery = Type.Object(
  {
    ...pageQueryProperties,
    channel: Type.Optional(
      Type.Union(
        NOTICE_CHANNELS.map((c) => Type.Literal(c)),
        { description: 'SMS or EMAIL' },
      ),
    ),
    relatedId: Type.Optional(Type.String({ ...TEXT, description: 'The object the notice is about (a quickCollectRequestId)' })),
    recipient: Type.Optional(Type.String({ ...TEXT, description: 'The mobile number or e-mail address' })),
    template: Type.Optional(Type.String({ ...TEXT, description: 'Why it was written, e.g. payment_link.created' })),
  },
  { additionalProperties: false },
);

const noticeView = Type.Object({
  noticeId: Type.String({ examples: ['ntc_01KDX0000000000000000000000'] }),
  channel: Type.Union(NOTICE_CHANNELS.map((c) => Type.Literal(c))),
  to: Type.String({ description: 'Mobile number (SMS) or e-mail address (EMAIL)' }),
  subject: Type.Union([Type.String(), Type.Null()], { description: 'E-mail subject; null for SMS' }),
  body: Type.String(),
  relatedType: Type.String({ examples: ['payment_link'] }),
  relatedId: Type.String(),
  template: Type.String({ examples: ['payment_link.created'] }),
  createdOn: Type.String({ description: 'Sandbox time, ISO 8601' }),
});

export function serializeNotice(n: Notice) {
  return {
    noticeId: n.id,
    channel: n.channel,
    to: n.recipient,
    subject: n.subject,
    body: n.body,
    relatedType: n.relatedType,
    relatedId: n.relatedId,
    template: n.template,
    createdOn: n.createdAt.toISOString(),
  };
}

export const outboxResponse = envelopeSchema(pageSchema(noticeView), 'A page of recorded notices, newest first');
export const errors = { 400: errorEnvelopeSchema } as const;
