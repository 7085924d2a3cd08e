/** Channels of the sandbox outbox: what a product would send to a customer (ADR 0021). */
export const NOTICE_CHANNELS = ['SMS', 'EMAIL'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface Notice {
  id: string;
  companyId: string;
  channel: NoticeChannel;
  recipient: string;
  subject: string | null;
  body: string;
  relatedType: string;
  relatedId: string;
  template: string;
  createdAt: Date;
}

/** What a product hands the outbox; the id and time are the outbox's. */
export type NoticeInput = Omit<Notice, 'id' | 'companyId' | 'createdAt'>;

export interface NoticeFilters {
  channel?: NoticeChannel | undefined;
  relatedId?: string | undefined;
  recipient?: string | undefined;
  template?: string | undefined;
}
