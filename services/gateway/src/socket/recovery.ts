import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { messagesEventsList, serverFrames, type Subjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';
import type { Broker } from '../broker/broker.js';
import { chatTopic } from '../broker/topics.js';
import { sendFrame, waitForDrain, type Socket } from './socket-data.js';

export interface RecoveryDeps {
  broker: Broker;
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  maxBackpressure: number;
  pageSize?: number;
}

/**
 * Replays a chat's events after `since`, then puts the socket on the chat's topic. The last page
 * comes from the broker's ring and the subscribe happens in the same synchronous step, so no live
 * event can fall between the replay and the topic (no gap, no duplicate at the seam).
 */
export async function recover(ws: Socket, chatId: string, since: number, deps: RecoveryDeps): Promise<void> {
  const data = ws.getUserData();
  let cursor = since;
  try {
    for (;;) {
      if (data.closed) return;
      const last = deps.broker.lastSeq(chatId) ?? cursor;
      const recent = deps.broker.recent(chatId, cursor, Math.max(last, cursor));
      if (recent) {
        ws.cork(() => {
          for (const f of recent) ws.send(f.data, false);
          ws.subscribe(chatTopic(chatId));
          ws.send(JSON.stringify(serverFrames.recovery(chatId, true, Math.max(last, cursor))), false);
        });
        return;
      }
      const reply = await fetchPage(deps, chatId, cursor);
      if (data.closed) return;
      const lost = reply.first_seq > cursor + 1 || (reply.first_seq === 0 && reply.last_seq > cursor);
      const before = cursor;
      // Only up to what the broker forwarded: later events are still on their way and come live.
      const upTo = deps.broker.lastSeq(chatId) ?? cursor;
      if (!lost) {
        ws.cork(() => {
          for (const e of reply.events) {
            if (e.seq !== cursor + 1 || e.seq > upTo) continue;
            ws.send(e.frame, false);
            cursor = e.seq;
          }
        });
      }
      if (lost || (cursor === before && cursor < upTo)) {
        // Events after `since` are gone (or the log has none to give): the client reloads over REST.
        goLiveUnrecovered(ws, chatId, deps);
        return;
      }
      if (ws.getBufferedAmount() > deps.maxBackpressure / 2) await waitForDrain(ws);
    }
  } catch (err) {
    if (data.closed) return;
    deps.log.warn({ err, chatId, since }, 'socket recovery failed');
    goLiveUnrecovered(ws, chatId, deps);
  }
}

function goLiveUnrecovered(ws: Socket, chatId: string, deps: RecoveryDeps) {
  if (ws.getUserData().closed) return;
  ws.cork(() => ws.subscribe(chatTopic(chatId)));
  sendFrame(ws, serverFrames.recovery(chatId, false, deps.broker.lastSeq(chatId) ?? 0));
}

function fetchPage(deps: RecoveryDeps, chatId: string, after: number) {
  return request(deps.nc, deps.subjects.messagesEventsList, messagesEventsList, {
    chat_id: chatId,
    after_seq: after,
    limit: deps.pageSize ?? 500,
  });
}
