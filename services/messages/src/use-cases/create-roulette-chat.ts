import { badRequest } from '@chatroulette/errors';
import { findChatByKey, insertChatOnce, insertParticipants, participantsOf } from '../db/queries/chats.js';
import { assertAllKnown, assertChatFound } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

/** The roulette chat of a match; idempotent on `key`, so a retried request gets the same chat. */
export async function createRouletteChat(ctx: MessagesContext, participantIds: string[], key: string) {
  const ids = [...new Set(participantIds.map((id) => id.toLowerCase()))];
  if (ids.length !== 2) throw badRequest('A roulette chat needs two different users');
  const existing = await findChatByKey(ctx.db, key);
  if (existing) return chatView(existing, await participantsOf(ctx.db, [existing.id]));
  const found = await ctx.users.lookup(ids);
  assertAllKnown(ids, found);
  const members = ids.map((id) => ({ user_id: id, username: found.get(id)! }));
  return ctx.db.transaction().execute(async (tx) => {
    const chat = await insertChatOnce(tx, { created_by: null, roulette_key: key });
    if (!chat) {
      // Lost a race with the same key: the other insert committed first.
      const other = assertChatFound(await findChatByKey(tx, key));
      return chatView(other, await participantsOf(tx, [other.id]));
    }
    await insertParticipants(tx, chat.id, members);
    return chatView(chat, members);
  });
}
