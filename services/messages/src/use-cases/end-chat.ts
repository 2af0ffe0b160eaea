import { forbidden } from '@chatroulette/errors';
import { isParticipant, lockChat, setChatStatus } from '../db/queries/chats.js';
import { assertChatFound, assertEndable, closesOnEnd } from '../domain/chat.js';
import { commitWithEvents } from '../events/outbox.js';
import type { MessagesContext } from '../context.js';

/**
 * A user left the roulette chat: emits chatroulette_left and closes the chat unless it was saved.
 * Ending a closed chat again returns it as it is, without a second event. A private chat is refused (400).
 */
export async function endChat(ctx: MessagesContext, chatId: string, left: { userId: string; username: string }) {
  return commitWithEvents(ctx, async (tx, outbox) => {
    const chat = assertChatFound(await lockChat(tx, chatId));
    assertEndable(chat);
    if (chat.status === 'closed') return { chat_id: chat.id, closed: true, seq: chat.last_seq };
    if (!(await isParticipant(tx, chatId, left.userId))) throw forbidden('Not a participant of this chat');
    const seq = await outbox.emit(chatId, 'chatroulette_left', { user_id: left.userId, username: left.username });
    const closed = closesOnEnd(chat);
    if (closed) await setChatStatus(tx, chatId, 'closed');
    return { chat_id: chat.id, closed, seq };
  });
}
