import { Router, type Express } from 'express';
import { createRateLimiter, currentUser, rateLimit, requireAuth } from '@chatroulette/http';
import type { TokenVerifier } from '@chatroulette/tokens';
import { apiPaths } from '@chatroulette/contracts';
import type { MessagesContext } from '../context.js';
import { createChatRoute } from './create-chat.js';
import { deleteMessageRoute } from './delete-message.js';
import { editMessageRoute } from './edit-message.js';
import { getChatRoute } from './get-chat.js';
import { likeMessageRoute } from './like-message.js';
import { listChatsRoute } from './list-chats.js';
import { listMessagesRoute } from './list-messages.js';
import { messageLikesRoute } from './message-likes.js';
import { messageStatusRoute } from './message-status.js';
import { readMessageRoute } from './read-message.js';
import { sendMessageRoute } from './send-message.js';

/** The contract's "Chats and messages" routes, under the prefixes this service owns, every one behind a bearer token. */
export function mountRoutes(app: Express, ctx: MessagesContext, verify: TokenVerifier): void {
  // Per user and per instance: N instances allow N times the rate (see the README).
  const sends = createRateLimiter({ rate: ctx.cfg.rateMessagesPerSecond, perMs: 1000, burst: ctx.cfg.rateMessagesBurst });
  const sendLimit = rateLimit(sends, (req) => currentUser(req).userId, 'messages');

  const chats = Router();
  chats.use(requireAuth(verify));
  chats.post('/', createChatRoute(ctx));
  chats.get('/', listChatsRoute(ctx));
  chats.get('/:chat_id', getChatRoute(ctx));
  chats.get('/:chat_id/messages', listMessagesRoute(ctx));
  chats.post('/:chat_id/messages', sendLimit, sendMessageRoute(ctx));
  app.use(apiPaths.chats, chats);

  const messages = Router();
  messages.use(requireAuth(verify));
  messages.put('/:message_id/edit', editMessageRoute(ctx));
  messages.delete('/:message_id', deleteMessageRoute(ctx));
  messages.put('/:message_id/read', readMessageRoute(ctx));
  messages.get('/:message_id/status', messageStatusRoute(ctx));
  messages.post('/:message_id/like', likeMessageRoute(ctx, true));
  messages.delete('/:message_id/like', likeMessageRoute(ctx, false));
  messages.get('/:message_id/likes', messageLikesRoute(ctx));
  app.use(apiPaths.messages, messages);
}
