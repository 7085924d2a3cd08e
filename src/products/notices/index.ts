/** The sandbox outbox: SMS and e-mail notices recorded instead of sent, for every product (ADR 0021). */
export { createNoticesService, type NoticesService, type NoticesDeps } from './service.js';
export { registerOutboxRoutes } from './routes.js';
export { NOTICE_CHANNELS, type Notice, type NoticeChannel, type NoticeInput } from './model.js';
export { sandboxNotices } from './tables.js';
