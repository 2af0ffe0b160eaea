import type { z } from 'zod';
import { markReadBody, sendMessageBody, type messagesRead, type messagesSend } from '@chatroulette/contracts';
import { parseInput, tooManyRequests } from '@chatroulette/http';
import type { MessagesContext } from '../context.js';
import { readMessage } from './read-message.js';
import { sendMessage } from './send-message.js';

/**
 * A send asked by the gateway over NATS, for a socket's send_message frame or a REST send: the REST
 * route's body check and use case, so all answer the same message or the same refusal (the send
 * budget is in the send statement).
 */
export function sendOverNats(ctx: MessagesContext, r: z.infer<typeof messagesSend.request>) {
  return sendMessage(ctx, { userId: r.user_id, username: r.username }, r.chat_id, parseInput(sendMessageBody, r.body, r.via === 'rest' ? 'body' : 'payload'));
}

/**
 * A socket's mark_read frame: PUT /messages/{id}/read with the same budget. The frame names its chat
 * (or the socket's): a message of another chat is not found there (read-message.ts).
 */
export async function markReadOverSocket(ctx: MessagesContext, r: z.infer<typeof messagesRead.request>) {
  const { message_id } = parseInput(markReadBody, r.body, 'payload');
  const spent = await ctx.budgets.reads.consume(r.user_id);
  if (!spent.ok) throw tooManyRequests('Too many reads; retry later', spent.retryAfterMs);
  return readMessage(ctx, r.user_id, message_id, r.chat_id);
}
