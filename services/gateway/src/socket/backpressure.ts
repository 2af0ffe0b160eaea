import { closeCodes } from '@chatroulette/contracts';
import type { Hub, TopicSockets } from '../hub/hub.js';
import { closeSocket, isClosed, type Socket } from './socket-data.js';

/**
 * Slow consumers: a socket whose send buffer passed `limit` is closed with closeCodes.slowConsumer
 * (4001, reconnect with `since`). uWS fans out natively and cannot say which subscriber fell
 * behind, so a topic's sockets are checked (a native getBufferedAmount per socket) at the end of the
 * event-loop turn in which `limit / 8` bytes or more were published on it since its last check, and
 * every socket once a second (replays, direct sends, topics with little traffic). A socket's buffer
 * can only grow by what is published to it, so none passes the limit by more than `limit / 8` per
 * topic (plus one turn's burst) unseen; uWS's own cap sits 4 MiB higher. Small frames, the usual
 * traffic, cost one map lookup and an addition each, not a check. The once-a-second sweep goes in
 * SWEEP_SLICES steps spread over the second, so 19,000 sockets never stall the loop in one go (two
 * native calls per socket, all at once, would hold up every frame behind them). The sockets, by
 * topic and in all, are the hub's.
 */
const SWEEP_SLICES = 20;

export function createBackpressureGuard(hub: Hub, limit: number, opts: { onClosed?: () => void; sweepMs?: number } = {}) {
  const sweepMs = opts.sweepMs ?? 1000;
  const dirty = new Set<TopicSockets>();
  const checkEvery = Math.max(1, Math.floor(limit / 8));
  let scheduled = false;

  function check(ws: Socket) {
    if (isClosed(ws) || ws.getBufferedAmount() <= limit) return;
    closeSocket(ws, closeCodes.slowConsumer, 'slow consumer');
    opts.onClosed?.();
  }

  function checkDirty() {
    scheduled = false;
    const sets = [...dirty];
    dirty.clear();
    for (const set of sets) for (const ws of set) check(ws);
  }

  // Picks up where the last slice stopped; a Set's iterator skips what was removed and visits what was added.
  let cursor = hub.sockets.values();
  const sweep = setInterval(() => {
    for (let n = Math.ceil(hub.sockets.size / SWEEP_SLICES); n > 0; n--) {
      const next = cursor.next();
      if (next.done) {
        cursor = hub.sockets.values();
        break;
      }
      check(next.value);
    }
  }, sweepMs / SWEEP_SLICES);
  sweep.unref();

  return {
    /** `bytes` were published on `topic`: past `limit / 8` since its last check, its sockets are checked before the next I/O. */
    published(topic: string, bytes: number): void {
      const set = hub.onTopic(topic);
      if (!set) return;
      set.unchecked += bytes;
      if (set.unchecked < checkEvery) return;
      set.unchecked = 0;
      dirty.add(set);
      if (!scheduled) {
        scheduled = true;
        setImmediate(checkDirty);
      }
    },
    stop(): void {
      clearInterval(sweep);
    },
  };
}
