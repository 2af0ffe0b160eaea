import { headers as natsHeaders, type Msg, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { liveHeaders, subjectKind, type LiveKind, type Subjects } from '@chatroulette/contracts';

/** A live frame as it arrived from NATS: its kind, its sender, and for typing whether it starts. */
export interface LiveMessage {
  kind: string;
  from: string;
  typing: boolean;
  data: Uint8Array;
}

/**
 * Live frames between the gateways of a chat's sockets: the frame the others get, as bytes, on
 * core NATS (`live.<chat_id>.<kind>`, outside every stream), with its sender in a header.
 */
export function createLiveBus(nc: NatsConnection, subjects: Subjects, log: Logger) {
  return {
    publish(chatId: string, kind: LiveKind, from: string, frame: unknown, typing?: boolean): void {
      const h = natsHeaders();
      h.set(liveHeaders.from, from);
      if (typing !== undefined) h.set(liveHeaders.typing, String(typing));
      try {
        nc.publish(subjects.liveFrame(chatId, kind), JSON.stringify(frame), { headers: h });
      } catch (err) {
        // Only a closed connection throws: an ephemeral frame is not worth more.
        log.warn({ err, chatId, kind }, 'live frame not published');
      }
    },
  };
}

export type LiveBus = ReturnType<typeof createLiveBus>;

/** Reads a live frame from NATS; null without a sender (not a gateway's). */
export function readLiveMessage(msg: Msg): LiveMessage | null {
  const from = msg.headers?.get(liveHeaders.from);
  if (!from) return null;
  return { kind: subjectKind(msg.subject), from, typing: msg.headers?.get(liveHeaders.typing) === 'true', data: msg.data };
}
