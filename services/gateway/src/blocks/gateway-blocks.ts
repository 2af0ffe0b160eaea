import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { blockEvent, type Subjects } from '@chatroulette/contracts';
import { decodeJson } from '@chatroulette/nats';
import { fetchBlocks } from '../clients/auth-blocks.js';
import { BlockList } from './block-list.js';

/**
 * This gateway's copy of the blocks of the users with sockets here: loaded from auth when a user's
 * first socket is admitted (acquire), kept current by the block events (one subscription for all,
 * `block.*.*`), reloaded after a NATS reconnect (events published meanwhile were not received), and
 * forgotten when the user's last socket closes (release). isBlockedPair asks nothing of anyone: it is
 * what the socket's frame checks (typing, rtc_signal) call for every frame.
 */
export function createGatewayBlocks(opts: { nc: NatsConnection; subjects: Subjects; log: Logger }) {
  const { nc, subjects, log } = opts;
  const list = new BlockList();
  /** Admitted (or being admitted) sockets per user, and the load of each user's list. */
  const holders = new Map<string, number>();
  const loads = new Map<string, Promise<void>>();
  let sub: Subscription | null = null;
  let subscribed: Promise<void> | null = null;

  function onEvent(msg: Msg) {
    let parsed;
    try {
      parsed = blockEvent.safeParse(decodeJson(msg.data));
    } catch {
      return void log.warn({ subject: msg.subject }, 'block event is not JSON; dropped');
    }
    if (!parsed.success) return void log.warn({ subject: msg.subject }, 'malformed block event; dropped');
    list.apply(parsed.data);
  }

  /** The subscription is in place on the server before any list is asked for: no event falls between. */
  function ensureSubscribed(): Promise<void> {
    if (!subscribed) {
      sub = nc.subscribe(subjects.allUserBlocks, { callback: (err, msg) => !err && onEvent(msg) });
      subscribed = nc.flush();
    }
    return subscribed;
  }

  async function load(userId: string): Promise<void> {
    await ensureSubscribed();
    for (const state of await fetchBlocks(nc, subjects, userId)) list.apply(state);
  }

  function release(userId: string): void {
    const n = (holders.get(userId) ?? 0) - 1;
    if (n > 0) return void holders.set(userId, n);
    holders.delete(userId);
    loads.delete(userId);
    list.forget(userId);
  }

  return {
    /**
     * A socket of the user is being admitted: resolves once the user's blocks are known here. On a
     * failure (auth unavailable) it gives back what it took and rejects, and the admission fails.
     */
    async acquire(userId: string): Promise<void> {
      holders.set(userId, (holders.get(userId) ?? 0) + 1);
      list.track(userId);
      let loading = loads.get(userId);
      if (!loading) loads.set(userId, (loading = load(userId)));
      try {
        await loading;
      } catch (err) {
        if (loads.get(userId) === loading) loads.delete(userId);
        release(userId);
        throw err;
      }
    },

    /** A socket of the user closed (or its admission failed later on). */
    release,

    /** Whether `a` and `b` are a blocked pair, either way; `a` (or `b`) has a socket here. */
    isBlockedPair: (a: string, b: string): boolean => list.isBlockedPair(a, b),

    /** After a NATS reconnect: block events sent while away were lost to this gateway, so every list is read again. */
    async resync(): Promise<void> {
      await Promise.allSettled(
        list.tracked().map((userId) => load(userId).catch((err) => log.warn({ err, userId }, 'blocks not reloaded after a NATS reconnect'))),
      );
    },

    close(): void {
      sub?.unsubscribe();
    },
  };
}

export type GatewayBlocks = ReturnType<typeof createGatewayBlocks>;
