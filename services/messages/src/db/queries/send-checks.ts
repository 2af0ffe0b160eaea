import { sql, type RawBuilder } from 'kysely';
import type { SendRefusal } from '../../domain/send-refusal.js';
import { blockedInChat } from './blocks.js';

/** Where the checks find a send's values: parameters in the lone statement, columns in the batch one. */
export interface SendFields {
  chatId: RawBuilder<unknown>;
  userId: RawBuilder<unknown>;
  replyToId: RawBuilder<unknown>;
  clientKey: RawBuilder<unknown>;
  /** The chat's status, null when there is no such chat. */
  chatStatus: RawBuilder<unknown>;
}

/**
 * The checks of a send, as ONE expression both send statements are built from (so they cannot
 * drift apart): the first that fails, in the order of precedence of the HTTP answers, or null when
 * the message may be stored. A client key already stored comes first: the sender is answered the
 * message stored the first time, whatever became of the chat since.
 */
export function firstFailedCheck(f: SendFields): RawBuilder<SendRefusal | null> {
  return sql<SendRefusal | null>`case
    when ${f.clientKey} is not null and exists (
      select 1 from messages k where k.chat_id = ${f.chatId} and k.user_id = ${f.userId} and k.client_key = ${f.clientKey})
      then 'client_key_seen'
    when ${f.chatStatus} is null then 'chat_not_found'
    when not exists (select 1 from chat_participants p where p.chat_id = ${f.chatId} and p.user_id = ${f.userId})
      then 'not_participant'
    when ${blockedInChat(f.chatId, f.userId)} then 'blocked'
    when ${f.chatStatus} <> 'open' then 'chat_closed'
    when ${f.replyToId} is not null and not exists (
      select 1 from messages r where r.id = ${f.replyToId} and r.chat_id = ${f.chatId} and r.deleted_at is null)
      then 'bad_reply'
  end`;
}
