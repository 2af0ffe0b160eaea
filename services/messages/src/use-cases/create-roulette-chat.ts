import { badRequest } from '@chatroulette/errors';
import { findChatsByKeys, insertRouletteChats, participantsOf } from '../db/queries/chats.js';
import { chatView, type ChatView } from '../domain/chat-view.js';
import { groupBy } from '../domain/group-by.js';
import type { Db } from '../db/queries/db.js';
import type { MessagesContext } from '../context.js';

/** The roulette chat of a match; idempotent on `key`, so a retried request gets the same chat. */
export async function createRouletteChat(ctx: MessagesContext, participantIds: string[], key: string): Promise<ChatView> {
  const [chat] = await createRouletteChats(ctx, [{ participantIds, key }]);
  if (!chat) throw badRequest('A roulette chat needs two different known users');
  return chat;
}

/**
 * The roulette chats of a batch of matches, in the given order, each idempotent on its `key`: the
 * existing ones read while the users are looked up, the new ones inserted with their participants
 * in one statement. null where a chat cannot be made (the same user twice, a user auth does not know).
 */
export async function createRouletteChats(ctx: MessagesContext, wanted: { participantIds: string[]; key: string }[]): Promise<(ChatView | null)[]> {
  const asked = wanted.map((w) => ({ key: w.key, ids: [...new Set(w.participantIds.map((id) => id.toLowerCase()))] }));
  const valid = asked.filter((a) => a.ids.length === 2);
  const [chats, found] = await Promise.all([chatsByKey(ctx.db, valid.map((a) => a.key)), ctx.users.lookup(valid.flatMap((a) => a.ids))]);
  const creatable = [...new Map(valid.filter((a) => !chats.has(a.key) && a.ids.every((id) => found.has(id))).map((a) => [a.key, a])).values()];
  const inserted = await insertRouletteChats(
    ctx.db,
    creatable.map((a) => ({ key: a.key, members: a.ids.map((id) => ({ user_id: id, username: found.get(id)! })) })),
  );
  const membersOf = groupBy(inserted.members, (m) => m.chat_id);
  for (const row of inserted.chats) chats.set(row.roulette_key!, chatView(row, membersOf.get(row.id) ?? []));
  // Lost a race with the same key: the other insert committed first.
  for (const [key, chat] of await chatsByKey(ctx.db, creatable.filter((a) => !chats.has(a.key)).map((a) => a.key))) chats.set(key, chat);
  return asked.map((a) => (a.ids.length === 2 ? (chats.get(a.key) ?? null) : null));
}

async function chatsByKey(db: Db, keys: string[]): Promise<Map<string, ChatView>> {
  const rows = await findChatsByKeys(db, keys);
  const participants = groupBy(await participantsOf(db, rows.map((r) => r.id)), (p) => p.chat_id);
  return new Map(rows.map((r) => [r.roulette_key!, chatView(r, participants.get(r.id) ?? [])]));
}
