import type { NatsConnection } from 'nats';
import { messagesEventsList, type Subjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';

/** The most events the messages service returns per request (its own cap). */
export const maxEventsPerPage = 1000;

/**
 * The messages service's event log of a chat (messages.events.list): what gap fill, the catch-up
 * after a NATS reconnect and `since` recovery read when the live stream did not bring it.
 */
export function createEventsLog(nc: NatsConnection, subjects: Subjects) {
  return {
    /** Up to `limit` events with seq > `afterSeq`, with the log's first and last kept seq. */
    after(chatId: string, afterSeq: number, limit: number) {
      return request(nc, subjects.messagesEventsList, messagesEventsList, { chat_id: chatId, after_seq: afterSeq, limit });
    },
  };
}

export type EventsLog = ReturnType<typeof createEventsLog>;
