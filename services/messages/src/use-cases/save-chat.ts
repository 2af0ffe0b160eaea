import { forbidden } from '@chatroulette/errors';
import { isParticipant, lockChat, participantsOf, setChatType } from '../db/queries/chats.js';
import { assertChatFound, assertSavable } from '../domain/chat.js';
import { chatView } from '../domain/chat-view.js';
import type { MessagesContext } from '../context.js';

/** Keeps a roulette chat: its type becomes `saved`; nothing else changes. */
export async function saveChat(ctx: MessagesContext, chatId: string, userId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const chat = assertChatFound(await lockChat(tx, chatId));
    if (!(await isParticipant(tx, chatId, userId))) throw forbidden('Not a participant of this chat');
    assertSavable(chat);
    const saved = await setChatType(tx, chatId, 'saved');
    return { ...chatView(saved, await participantsOf(tx, [chatId])), type: 'saved' as const };
  });
}
