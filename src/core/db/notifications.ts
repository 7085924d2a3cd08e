import pg from 'pg';

/** What a listener is told: each notification, and that it may have missed some (see `listenPostgres`). */
export interface NotificationHandlers {
  onNotification(payload: string): void;
  /**
   * The connection was (re)established and LISTEN on the listener's channel is in place (true), or
   * it was lost (false): whatever was learnt from notifications may be stale while not listening.
   */
  onListening(listening: boolean): void;
}

export interface Listener {
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

/**
 * One LISTEN connection per database URL in this process, shared by every listener of every
 * channel (the sandbox clock's, the webhook dispatcher's): a pooled connection would be handed to
 * other queries between notifications, so it is a dedicated client, opened with the first listener
 * and closed with the last. A lost connection is reported to every listener and re-opened every
 * second while any remains; on reconnecting it LISTENs on every channel again.
 */
interface Hub {
  url: string;
  subscribers: Map<string, Set<NotificationHandlers>>;
  client: pg.Client | undefined;
  /** The current client is connected: a new channel is LISTENed on it at once. */
  connected: boolean;
  /** The LISTEN of each channel on the current client (pending or done). */
  listened: Map<string, Promise<void>>;
  /** Handlers told `onListening(true)` for the current client. */
  told: Set<NotificationHandlers>;
  retry: NodeJS.Timeout | undefined;
  /** Until the current connection attempt has LISTENed or failed. */
  connecting: Promise<void> | undefined;
}

const hubs = new Map<string, Hub>();

function lost(hub: Hub, which: pg.Client): void {
  if (hub.client !== which) return;
  hub.client = undefined;
  hub.connected = false;
  hub.listened.clear();
  hub.told.clear();
  which.removeAllListeners('notification');
  void which.end().catch(() => undefined);
  for (const handlers of [...hub.subscribers.values()].flatMap((set) => [...set])) handlers.onListening(false);
  if (hub.subscribers.size > 0 && !hub.retry) hub.retry = setTimeout(() => void connect(hub), RECONNECT_MS).unref();
}

/** LISTENs on `channel` over the current client (once per client), then tells its handlers not told yet. */
function listenOn(hub: Hub, which: pg.Client, channel: string): Promise<void> {
  let done = hub.listened.get(channel);
  if (!done) {
    done = which.query(`listen ${pg.escapeIdentifier(channel)}`).then(() => undefined);
    hub.listened.set(channel, done);
  }
  return done.then(
    () => {
      if (hub.client !== which) return;
      for (const handlers of hub.subscribers.get(channel) ?? []) {
        if (hub.told.has(handlers)) continue;
        hub.told.add(handlers);
        handlers.onListening(true);
      }
    },
    () => lost(hub, which),
  );
}

async function connect(hub: Hub): Promise<void> {
  if (hub.retry) clearTimeout(hub.retry);
  hub.retry = undefined;
  if (hub.client || hub.subscribers.size === 0) return;
  const next = new pg.Client({ connectionString: hub.url });
  hub.client = next;
  next.on('error', () => lost(hub, next));
  next.on('end', () => lost(hub, next));
  next.on('notification', (msg) => {
    if (msg.payload === undefined) return;
    for (const handlers of hub.subscribers.get(msg.channel) ?? []) handlers.onNotification(msg.payload);
  });
  const attempt = (async () => {
    try {
      await next.connect();
    } catch {
      lost(hub, next);
      return;
    }
    if (hub.client !== next) return;
    hub.connected = true;
    // The channels of listeners that came while connecting too: from here on, each LISTENs itself.
    await Promise.all([...hub.subscribers.keys()].map((channel) => listenOn(hub, next, channel)));
  })();
  hub.connecting = attempt;
  await attempt;
  if (hub.connecting === attempt) hub.connecting = undefined;
}

/**
 * LISTEN on `channel` over this process's LISTEN connection to `url` (see `Hub`), opening it if
 * needed. `handlers.onListening` is called once LISTEN is in place or the attempt failed, and
 * again at every loss and recovery. Its statements go through the hub's own client, so the
 * database's statement count does not see them.
 */
export function listenPostgres(url: string, channel: string, handlers: NotificationHandlers): Listener {
  let hub = hubs.get(url);
  if (!hub) {
    hub = { url, subscribers: new Map(), client: undefined, connected: false, listened: new Map(), told: new Set(), retry: undefined, connecting: undefined };
    hubs.set(url, hub);
  }
  const h = hub;
  const set = h.subscribers.get(channel) ?? new Set();
  h.subscribers.set(channel, set);
  set.add(handlers);
  // A new listener does not wait out a reconnect delay: it connects now, or joins the connection.
  let started: Promise<void>;
  if (!h.client) started = connect(h);
  else if (h.connected) started = listenOn(h, h.client, channel);
  else started = h.connecting ?? Promise.resolve();
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      await started;
      set.delete(handlers);
      h.told.delete(handlers);
      if (set.size > 0) return;
      if (h.subscribers.get(channel) === set) h.subscribers.delete(channel);
      const client = h.client;
      if (h.subscribers.size > 0) {
        if (client && h.listened.has(channel)) {
          h.listened.delete(channel);
          await client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        }
        return;
      }
      // The last listener: the connection closes (a later listener opens a new one).
      if (h.retry) clearTimeout(h.retry);
      h.retry = undefined;
      if (hubs.get(url) === h) hubs.delete(url);
      h.client = undefined;
      h.connected = false;
      h.listened.clear();
      h.told.clear();
      if (client) {
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
    },
  };
}
