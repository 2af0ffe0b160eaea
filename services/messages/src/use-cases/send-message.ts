import { randomUUID } from 'node:crypto';
import { badRequest, conflict } from '@chatroulette/errors';
import { eventHeaders, type MessageObject, type SendMessageBody } from '@chatroulette/contracts';
import { findMessageInChat } from '../db/queries/messages.js';
import { findByClientKey } from '../db/queries/send-message.js';
import { isUniqueViolation } from '@chatroulette/db';
import { messageObjects } from './message-views.js';
import { assertOpen } from '../domain/chat.js';
import { toMessageObject } from '../domain/message.js';
import { framePrefix, newMessageHeaders } from '../events/outbox-event.js';
import { exitBeforePublishIf } from './exit-before-publish.js';
import { chatForMember } from './access.js';
import type { MessagesContext } from '../context.js';

/**
 * Stores a message and its new_message event together in one statement (the hot path: one round
 * trip, one commit, shared with the sends that queued meanwhile: db/send-queue.ts), then hands the
 * event to the publisher. A retry with the same client_message_id
 * answers the message stored the first time, with no second event. 404/403/409/400 are worked out
 * only when nothing was written.
 */
export async function sendMessage(
  ctx: MessagesContext,
  caller: { userId: string; username: string },
  chatId: string,
  body: SendMessageBody,
): Promise<MessageObject> {
  const username = await currentUsername(ctx, caller);
  const row = {
    id: randomUUID(),
    chat_id: chatId,
    user_id: caller.userId,
    type: body.type,
    content: body.content,
    media_url: body.media_url,
    reply_to_id: body.reply_to_id ?? null,
    client_key: body.client_message_id ?? null,
    created_at: new Date(),
  };
  const message = toMessageObject({ ...row, status: 'sent', is_edited: false, edited_at: null, deleted_at: null }, [], [], username);
  const prefix = framePrefix('new_message', chatId, message);
  const headers = newMessageHeaders(caller.userId, row.id);
  let seq: number | undefined;
  try {
    seq = await ctx.sends.store({ m: row, framePrefix: prefix, headers });
  } catch (err) {
    // Two sends with one client key at the same moment: the second loses on the unique index.
    if (!(row.client_key && isUniqueViolation(err))) throw err;
  }
  if (seq === undefined) {
    const earlier = row.client_key ? await findByClientKey(ctx.db, chatId, caller.userId, row.client_key) : undefined;
    if (earlier) return (await messageObjects(ctx, ctx.db, [earlier]))[0]!;
    return explainRefusal(ctx, caller.userId, chatId, body.reply_to_id ?? null);
  }

  exitBeforePublishIf(ctx.cfg.faultExitAfterCommit);
  ctx.publisher.publish([
    { chat_id: chatId, seq, type: 'new_message', frame: `${prefix}${seq}}`, headers: { ...headers, [eventHeaders.seq]: String(seq) } },
  ]);
  return message;
}

/** Why nothing was written: the same answers the other routes give, in the same order. */
async function explainRefusal(ctx: MessagesContext, userId: string, chatId: string, replyToId: string | null): Promise<never> {
  assertOpen(await chatForMember(ctx.db, chatId, userId));
  if (replyToId) {
    const target = await findMessageInChat(ctx.db, chatId, replyToId);
    if (!target || target.deleted_at) throw badRequest('Invalid reply_to_id: not a message of this chat');
  }
  // Every condition holds now: the chat changed between the write and this check.
  throw conflict('The chat changed while sending; retry');
}

/** The author's username, from auth's cache; the token's when auth does not answer. */
async function currentUsername(ctx: MessagesContext, caller: { userId: string; username: string }): Promise<string> {
  try {
    return (await ctx.users.lookup([caller.userId])).get(caller.userId) ?? caller.username;
  } catch {
    return caller.username;
  }
}
