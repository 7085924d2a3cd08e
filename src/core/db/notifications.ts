import pg from 'pg';

/** What a listener is told: each notification, and that it may have missed some (see `listenPostgres`). */
export interface NotificationHandlers {
  onNotification(payload: string): void;
  /**
   * The connection was (re)established and LISTEN is in place (true), or it was lost (false):
   * whatever was learnt from notifications may be stale while not listening.
   */
  onListening(listening: boolean): void;
}

export interface Listener {
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

/**
 * LISTEN on `channel` over a dedicated connection (a pooled one would be handed to other queries
 * between notifications). A lost connection is reported and re-opened every second until `close`.
 * Its statements go through its own client, so the database's statement count does not see them.
 */
export function listenPostgres(url: string, channel: string, handlers: NotificationHandlers): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const lost = (which: pg.Client) => {
    if (client !== which) return;
    client = undefined;
    handlers.onListening(false);
    which.removeAllListeners('notification');
    void which.end().catch(() => undefined);
    if (!closed) retry = setTimeout(connect, RECONNECT_MS).unref();
  };

  async function connect(): Promise<void> {
    retry = undefined;
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) handlers.onNotification(msg.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (client === next && !closed) handlers.onListening(true);
    } catch {
      lost(next);
    }
  }

  const started = connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await started;
      const last = client;
      client = undefined;
      if (last) await last.end().catch(() => undefined);
    },
  };
}
