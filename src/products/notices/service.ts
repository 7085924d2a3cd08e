import type { Executor } from '../../core/db/engine.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import type { SandboxClock } from '../../core/jobs/types.js';
import type { Notice, NoticeFilters, NoticeInput } from './model.js';
import * as repo from './repository.js';

export interface NoticesDeps {
  db: Executor;
  clock: SandboxClock;
}

export type NoticesService = ReturnType<typeof createNoticesService>;

/**
 * The sandbox outbox (ADR 0021). Products call `record` inside the transaction of the change the
 * notice is about, so a notice exists exactly when its change committed; nothing is sent.
 */
export function createNoticesService(deps: NoticesDeps) {
  return {
    async record(tx: Executor, companyId: string, input: NoticeInput): Promise<Notice> {
      const createdAt = await deps.clock.now(companyId, tx);
      const notice: Notice = { id: newId('ntc', createdAt), companyId, createdAt, ...input };
      await repo.insertNotice(tx, notice);
      return notice;
    },
    list(companyId: string, filters: NoticeFilters, page: PageRequest) {
      return repo.listNotices(deps.db, companyId, filters, page);
    },
  };
}
