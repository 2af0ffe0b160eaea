import { Router, type Express } from 'express';
import { createRateLimiter, currentUser, rateLimit, requireAuth } from '@chatroulette/http';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { Ctx } from '../actions/context.js';
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

/** The contract's "Chats and messages" routes, every one behind a bearer token. */
export function mountRoutes(app: Express, ctx: Ctx, verify: TokenVerifier): void {
  const r = Router();
  // Per user and per instance: N instances allow N times the rate (see the README).
  const sends = createRateLimiter({ rate: ctx.cfg.rateMessagesPerSecond, perMs: 1000, burst: ctx.cfg.rateMessagesBurst });
  const sendLimit = rateLimit(sends, (req) => currentUser(req).userId, 'messages');
  r.use(requireAuth(verify));
  r.post('/chats', createChatRoute(ctx));
  r.get('/chats', listChatsRoute(ctx));
  r.get('/chats/:chat_id', getChatRoute(ctx));
  r.get('/chats/:chat_id/messages', listMessagesRoute(ctx));
  r.post('/chats/:chat_id/messages', sendLimit, sendMessageRoute(ctx));
  r.put('/messages/:message_id/edit', editMessageRoute(ctx));
  r.delete('/messages/:message_id', deleteMessageRoute(ctx));
  r.put('/messages/:message_id/read', readMessageRoute(ctx));
  r.get('/messages/:message_id/status', messageStatusRoute(ctx));
  r.post('/messages/:message_id/like', likeMessageRoute(ctx, true));
  r.delete('/messages/:message_id/like', likeMessageRoute(ctx, false));
  r.get('/messages/:message_id/likes', messageLikesRoute(ctx));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.use('/api/v1', r);
}
