import { badRequest } from '@chatroulette/errors';
import type { MessageObject, SendMessageBody } from '@chatroulette/contracts';
import { lockChat } from '../db/queries/chats.js';
import { findMessageInChat, insertMessage } from '../db/queries/messages.js';
import { assertChatFound, assertOpen } from '../domain/chat.js';
import { toMessageObject } from '../domain/message.js';
import { newMessageHeaders, outboxEvent } from '../events/outbox-event.js';
import { exitAfterCommitIfFaulted } from '../fault.js';
import { chatForMember } from './access.js';
import { authorNames } from './message-views.js';
import type { Ctx } from './context.js';
import { transact } from './transact.js';

/** Stores a message and its new_message event together; 409 when the chat is closed. */
export async function sendMessage(
  ctx: Ctx,
  caller: { userId: string; username: string },
  chatId: string,
  body: SendMessageBody,
): Promise<MessageObject> {
  await chatForMember(ctx.db, chatId, caller.userId);
  const username = (await authorNames(ctx, ctx.db, [chatId], [caller.userId])).get(caller.userId) ?? caller.username;
  return transact(
    ctx,
    async (tx, outbox) => {
      assertOpen(assertChatFound(await lockChat(tx, chatId)));
      if (body.reply_to_id) {
        const target = await findMessageInChat(tx, chatId, body.reply_to_id);
        if (!target || target.deleted_at) throw badRequest('Invalid reply_to_id: not a message of this chat');
      }
      const seq = await outbox.reserve(chatId, 1, true);
      const row = await insertMessage(tx, {
        chat_id: chatId,
        seq,
        user_id: caller.userId,
        type: body.type,
        content: body.content,
        media_url: body.media_url,
        reply_to_id: body.reply_to_id ?? null,
      });
      const message = toMessageObject(row, [], [], username);
      await outbox.add([outboxEvent('new_message', chatId, seq, message, newMessageHeaders(caller.userId, row.id))]);
      return message;
    },
    { afterCommit: () => exitAfterCommitIfFaulted(ctx.cfg.faultExitAfterCommit) },
  );
}
