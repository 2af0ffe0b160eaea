import { blockedAmong } from '../db/queries/blocks.js';
import { insertChat, insertParticipants } from '../db/queries/chats.js';
import { assertAllKnown, assertNotBlocked, otherParticipants } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

export interface NewPrivateChat {
  participantIds: string[];
  /** The caller alone (no participant_ids): only a named chat, the original's POST /chats. */
  alone?: boolean;
  name?: string | undefined;
  description?: string | undefined;
}

/** A private chat of the caller and the listed users; every one must exist in auth, and none be in a blocked pair with the caller (403). */
export async function createPrivateChat(ctx: MessagesContext, caller: { userId: string; username: string }, chat: NewPrivateChat) {
  const others = otherParticipants(caller.userId, chat.participantIds, { alone: chat.alone ?? false });
  const found = await ctx.users.lookup([caller.userId, ...others]);
  assertAllKnown(others, found);
  assertNotBlocked((await blockedAmong(ctx.db, caller.userId, others)).length > 0);
  const members = [caller.userId, ...others].map((id) => ({ user_id: id, username: found.get(id) ?? caller.username }));
  return ctx.db.transaction().execute(async (tx) => {
    const row = await insertChat(tx, { type: 'private', created_by: caller.userId, name: chat.name, description: chat.description });
    await insertParticipants(tx, row.id, members);
    return chatView(row, members);
  });
}
