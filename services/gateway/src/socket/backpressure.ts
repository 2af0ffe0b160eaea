import { closeCodes } from '@chatroulette/contracts';
import { closeSocket, type Socket } from './socket-data.js';

/**
 * Slow consumers: a socket whose send buffer passed `limit` is closed with closeCodes.slowConsumer
 * (4001, reconnect with `since`). uWS fans out natively and cannot say which subscriber fell
 * behind, so after a publish the topic's sockets are checked once per event-loop turn (a cheap
 * native getBufferedAmount per socket), and every socket once a second (replays, direct sends).
 */
export function createBackpressureGuard(limit: number, sweepMs = 1000) {
  const byTopic = new Map<string, Set<Socket>>();
  const all = new Set<Socket>();
  const dirty = new Set<string>();
  let scheduled = false;

  function check(ws: Socket) {
    const data = ws.getUserData();
    if (!data.closed && ws.getBufferedAmount() > limit) closeSocket(ws, closeCodes.slowConsumer, 'slow consumer');
  }

  function checkDirty() {
    scheduled = false;
    const topics = [...dirty];
    dirty.clear();
    for (const topic of topics) for (const ws of byTopic.get(topic) ?? []) check(ws);
  }

  const sweep = setInterval(() => {
    for (const ws of all) check(ws);
  }, sweepMs);
  sweep.unref();

  return {
    sockets: all,
    add(ws: Socket, topics: string[]): void {
      all.add(ws);
      for (const t of topics) {
        let set = byTopic.get(t);
        if (!set) byTopic.set(t, (set = new Set()));
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
    /** A frame was published on `topic`: its sockets are checked before the next I/O. */
    published(topic: string): void {
      if (!byTopic.has(topic)) return;
      dirty.add(topic);
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
