import { randomUUID } from 'node:crypto';
import type { MessageObject, SendMessageBody } from '@chatroulette/contracts';
import { isUniqueViolation } from '@chatroulette/db';
import { findByClientKey, type SendOutcome } from '../db/queries/send-message.js';
import { toMessageObject } from '../domain/message.js';
import { throwRefusal } from '../domain/send-refusal.js';
import { framePrefix, newMessageHeaders } from '../events/outbox-event.js';
import type { MessagesContext } from '../context.js';
import { exitBeforePublishIf } from './exit-before-publish.js';
import { messageObjects } from './message-views.js';

/**
 * Stores a message and its new_message event together in one statement (the hot path: one round
 * trip, one commit, shared with the sends that queued meanwhile: db/send-queue.ts), then hands the
 * event, as stored, to the publisher. A retry with the same client_message_id answers the message
 * stored the first time, with no second event (and nothing taken from the send budget). When
 * nothing was written the statement says why, and that is the answer (404/403/409/400, 429 past the
 * sender's send budget, which the statement checks too).
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
  let outcome: SendOutcome;
  try {
    outcome = await ctx.sends.store({
      message: row,
      framePrefix: framePrefix('new_message', chatId, message),
      headers: newMessageHeaders(caller.userId, row.id),
    });
  } catch (err) {
    // Two sends with one client key at the same moment: the second loses on the unique index.
    if (!(row.client_key && isUniqueViolation(err))) throw err;
    outcome = { refused: 'client_key_seen' };
  }
  if (outcome.event) {
    ctx.metrics.messagesSent.inc();
    exitBeforePublishIf(ctx.cfg.faultExitAfterCommit);
    ctx.publisher.publish([outcome.event]);
    return message;
  }
  if (outcome.refused === 'rate_limited') ctx.metrics.budgetRefused('sends');
  if (outcome.refused !== 'client_key_seen') throwRefusal(outcome.refused, outcome.retryAfterMs);
  const earlier = await findByClientKey(ctx.db, chatId, caller.userId, row.client_key!);
  // Stored under the key but gone since the check: cannot happen while messages are only soft-deleted.
  if (!earlier) throwRefusal('chat_changed');
  return (await messageObjects(ctx, ctx.db, [earlier]))[0]!;
}

/** The author's username, from auth's cache; the token's when auth does not answer. */
async function currentUsername(ctx: MessagesContext, caller: { userId: string; username: string }): Promise<string> {
  try {
    return (await ctx.users.lookup([caller.userId])).get(caller.userId) ?? caller.username;
  } catch {
    return caller.username;
  }
}
