import { chatEventFrame, eventHeaders, type ChatEventPayloads, type ChatEventType } from '@chatroulette/contracts';
import type { EventRow } from '../db/queries/events.js';

/**
 * One chat event as stored in the outbox and published: the body is the exact client frame
 * `{type, chat_id, payload, seq}`, so the gateway forwards bytes without parsing them.
 */
export function outboxEvent<T extends ChatEventType>(
  type: T,
  chatId: string,
  seq: number,
  payload: ChatEventPayloads[T],
  extraHeaders: Record<string, string> = {},
): EventRow {
  return {
    chat_id: chatId,
    seq,
    type,
    frame: JSON.stringify(chatEventFrame(type, chatId, seq, payload)),
    headers: { [eventHeaders.seq]: String(seq), ...extraHeaders },
  };
}

/**
 * The client frame of an event whose seq the database gives: everything up to `"seq":`, so the
 * statement that takes the seq appends it and the closing brace (`prefix || seq || '}'`). Byte for
 * byte what outboxEvent makes, because chatEventFrame puts seq last.
 */
export function framePrefix<T extends ChatEventType>(type: T, chatId: string, payload: ChatEventPayloads[T]): string {
  return `${JSON.stringify({ type, chat_id: chatId, payload }).slice(0, -1)},"seq":`;
}

/** Headers a new_message carries so the gateway can report deliveries without parsing the body. */
export function newMessageHeaders(authorId: string, messageId: string): Record<string, string> {
  return { [eventHeaders.author]: authorId, [eventHeaders.messageId]: messageId };
}

/** JetStream de-duplication id: a re-publish of the same event is dropped by the stream. */
export const dedupId = (e: Pick<EventRow, 'chat_id' | 'seq'>) => `${e.chat_id}:${e.seq}`;
