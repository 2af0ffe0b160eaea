import { sql } from 'kysely';
import { eventHeaders } from '@chatroulette/contracts';
import { prepared } from '@chatroulette/db';
import type { Db } from './db.js';
import type { EventRow } from './events.js';

/** A delivery receipt with the frame of its event up to `"seq":` (see framePrefix). */
export interface DeliveryToMark {
  chat_id: string;
  message_id: string;
  user_id: string;
  frame_prefix: string;
}

/**
 * Marks delivered, in ONE statement for a whole batch of receipts across chats (one round trip,
 * one commit), every message still `sent` that a participant other than its author received, and
 * stores a message_status_update for each one that changed, numbered after its chat's last_seq.
 *
 * The chats are locked first, in id order (the `locked` rows feed every join, so no message row
 * is touched before its chat's lock, as in every other write of a chat), and their last_seq is
 * bumped under that lock, held to the commit: seq order stays commit order. A message received by
 * two users, or reported twice, changes once. Returns the events exactly as stored, in seq order per
 * chat: the publisher publishes those.
 */
export async function markDeliveredWithEvents(db: Db, receipts: DeliveryToMark[]): Promise<EventRow[]> {
  if (receipts.length === 0) return [];
  const chatIds = [...new Set(receipts.map((r) => r.chat_id))].sort();
  const column = <K extends keyof DeliveryToMark>(k: K) => receipts.map((r) => r[k]);
  // Arrays, not a VALUES list, so the text is the same at every call and runs prepared.
  const result = await sql<EventRow>`${sql.raw(prepared('mark_delivered'))}
    with locked as (
      select id from chats where id = any(${chatIds}::uuid[]) order by id for update
    ), r as (
      select * from unnest(${column('chat_id')}::uuid[], ${column('message_id')}::uuid[], ${column('user_id')}::uuid[], ${column('frame_prefix')}::text[])
        as r (chat_id, message_id, user_id, frame_prefix)
    ), delivered as (
      update messages m set status = 'delivered', delivered_at = now()
      from r
      join locked c on c.id = r.chat_id
      join chat_participants p on p.chat_id = r.chat_id and p.user_id = r.user_id
      where m.id = r.message_id and m.chat_id = r.chat_id and m.status = 'sent' and m.deleted_at is null
        and r.user_id <> m.user_id
      returning m.chat_id, m.seq as message_seq, r.frame_prefix
    ), counts as (
      select chat_id, count(*)::int as n from delivered group by chat_id
    ), bumped as (
      update chats ch set last_seq = ch.last_seq + counts.n
      from counts where ch.id = counts.chat_id
      returning ch.id, ch.last_seq, counts.n
    ), numbered as (
      select d.chat_id, d.frame_prefix,
             b.last_seq - b.n + row_number() over (partition by d.chat_id order by d.message_seq) as seq
      from delivered d join bumped b on b.id = d.chat_id
    )
    insert into chat_events (chat_id, seq, type, frame, headers)
    select chat_id, seq, 'message_status_update', frame_prefix || seq || '}', jsonb_build_object(${eventHeaders.seq}::text, seq::text)
    from numbered
    returning chat_id, seq, type, frame, headers`.execute(db);
  return result.rows.map((e) => ({ ...e, seq: Number(e.seq) })).sort((a, b) => a.chat_id.localeCompare(b.chat_id) || a.seq - b.seq);
}
