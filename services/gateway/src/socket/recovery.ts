import type { Logger } from 'pino';
import { serverFrames } from '@chatroulette/contracts';
import type { Broker } from '../broker/broker.js';
import type { EventsLog } from '../history/events-log.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import { chatTopic } from '../hub/topics.js';
import { isClosed, sendFrame, waitForDrain, type Socket } from './socket-data.js';

/** Events per request to the log while replaying. */
const PAGE_SIZE = 500;

export interface RecoveryDeps {
  broker: Broker;
  events: EventsLog;
  log: Logger;
  maxBackpressure: number;
  metrics: GatewayMetrics;
  /** The most events one replay sends (GATEWAY_MAX_REPLAY_EVENTS): further behind is `recovered: false`. */
  maxReplayEvents: number;
}

/**
 * Replays a chat's events after `since`, then puts the socket on the chat's topic. The last page
 * comes from the broker's ring and the subscribe happens in the same synchronous step, so no live
 * event can fall between the replay and the topic (no gap, no duplicate at the seam).
 * `admittedLastSeq` is the chat's last seq when the socket was admitted (the membership answer, read
 * from messages' database): a `since` beyond it names events that do not exist, and one more than
 * maxReplayEvents behind would make the gateway send (and read from the log) without bound; both
 * get `recovered: false` with the real last seq, and the client reloads over REST.
 */
export async function recover(ws: Socket, chatId: string, since: number, admittedLastSeq: number, deps: RecoveryDeps): Promise<void> {
  const known = () => Math.max(admittedLastSeq, deps.broker.lastSeq(chatId) ?? 0);
  if (since > known() || known() - since > deps.maxReplayEvents) return goLiveUnrecovered(ws, chatId, known(), deps);
  let cursor = since;
  try {
    for (;;) {
      if (isClosed(ws)) return;
      // Live events kept the replay going past its cap: stop here.
      if (cursor - since > deps.maxReplayEvents) return goLiveUnrecovered(ws, chatId, known(), deps);
      const last = deps.broker.lastSeq(chatId) ?? cursor;
      const recent = deps.broker.recent(chatId, cursor, Math.max(last, cursor));
      if (recent) {
        ws.cork(() => {
          for (const f of recent) ws.send(f.data, false);
          ws.subscribe(chatTopic(chatId));
          ws.send(JSON.stringify(serverFrames.recovery(chatId, true, Math.max(last, cursor))), false);
        });
        deps.metrics.replay('recovered');
        return;
      }
      const reply = await deps.events.after(chatId, cursor, PAGE_SIZE);
      if (isClosed(ws)) return;
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
        goLiveUnrecovered(ws, chatId, known(), deps);
        return;
      }
      if (ws.getBufferedAmount() > deps.maxBackpressure / 2) await waitForDrain(ws);
    }
  } catch (err) {
    if (isClosed(ws)) return;
    deps.log.warn({ err, socketId: ws.getUserData().id, chatId, since }, 'socket recovery failed');
    goLiveUnrecovered(ws, chatId, known(), deps);
  }
}

function goLiveUnrecovered(ws: Socket, chatId: string, lastSeq: number, { metrics }: RecoveryDeps) {
  if (isClosed(ws)) return;
  metrics.replay('unrecovered');
  ws.cork(() => ws.subscribe(chatTopic(chatId)));
  sendFrame(ws, serverFrames.recovery(chatId, false, lastSeq));
}
