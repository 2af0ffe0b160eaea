import { closeCodes } from '@chatroulette/contracts';
import { closeSocket, type Socket } from './socket-data.js';

/** A topic's sockets, and the bytes published on it since they were last checked. */
class TopicSockets extends Set<Socket> {
  unchecked = 0;
}

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
 * native calls per socket, all at once, would hold up every frame behind them).
 */
const SWEEP_SLICES = 20;

export function createBackpressureGuard(limit: number, sweepMs = 1000) {
  const byTopic = new Map<string, TopicSockets>();
  const all = new Set<Socket>();
  const dirty = new Set<TopicSockets>();
  const checkEvery = Math.max(1, Math.floor(limit / 8));
  let scheduled = false;

  function check(ws: Socket) {
    const data = ws.getUserData();
    if (!data.closed && ws.getBufferedAmount() > limit) closeSocket(ws, closeCodes.slowConsumer, 'slow consumer');
  }

  function checkDirty() {
    scheduled = false;
    const sets = [...dirty];
    dirty.clear();
    for (const set of sets) for (const ws of set) check(ws);
  }

  // Picks up where the last slice stopped; a Set's iterator skips what was removed and visits what was added.
  let cursor = all.values();
  const sweep = setInterval(() => {
    for (let n = Math.ceil(all.size / SWEEP_SLICES); n > 0; n--) {
      const next = cursor.next();
      if (next.done) {
        cursor = all.values();
        break;
      }
      check(next.value);
    }
  }, sweepMs / SWEEP_SLICES);
  sweep.unref();

  return {
    sockets: all,
    add(ws: Socket, topics: string[]): void {
      all.add(ws);
      for (const t of topics) {
        let set = byTopic.get(t);
        if (!set) byTopic.set(t, (set = new TopicSockets()));
        set.add(ws);
      }
    },
    remove(ws: Socket, topics: string[]): void {
      all.delete(ws);
      for (const t of topics) {
        const set = byTopic.get(t);
        set?.delete(ws);
        if (set?.size === 0) byTopic.delete(t);
      }
    },
    /** `bytes` were published on `topic`: past `limit / 8` since its last check, its sockets are checked before the next I/O. */
    published(topic: string, bytes: number): void {
      const set = byTopic.get(topic);
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

export type BackpressureGuard = ReturnType<typeof createBackpressureGuard>;
