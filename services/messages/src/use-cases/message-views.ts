import type { MessageObject } from '@chatroulette/contracts';
import type { MessageRow } from '../db/schema.js';
import type { Db } from '../db/queries/db.js';
import { participantsOf } from '../db/queries/chats.js';
import { likesOf, readsOf } from '../db/queries/messages.js';
import { groupBy } from '../domain/group-by.js';
import { toMessageObject, type Like, type Read } from '../domain/message.js';
import type { MessagesContext } from '../context.js';

/** Authors' usernames: from auth (cached), else those stored on the chat's participants. */
async function authorNames(ctx: MessagesContext, db: Db, chatIds: string[], authorIds: string[]) {
  const stored = new Map((await participantsOf(db, chatIds)).map((p) => [p.user_id, p.username]));
  return ctx.users.usernames(authorIds, stored);
}

/** Message objects, with reads, likes and the author, for rows of one chat or several. */
export async function messageObjects(ctx: MessagesContext, db: Db, rows: MessageRow[]): Promise<MessageObject[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((m) => m.id);
  const [reads, likes, names] = await Promise.all([
    readsOf(db, ids),
    likesOf(db, ids),
    authorNames(ctx, db, [...new Set(rows.map((m) => m.chat_id))], rows.map((m) => m.user_id)),
  ]);
  const readsBy = groupBy(reads, (r) => r.message_id);
  const likesBy = groupBy(likes, (l) => l.message_id);
  return rows.map((m) =>
    toMessageObject(m, (readsBy.get(m.id) ?? []) as Read[], (likesBy.get(m.id) ?? []) as Like[], names.get(m.user_id) ?? ''),
  );
}
