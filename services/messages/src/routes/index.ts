import { Router, type Express } from 'express';
import { budget } from '@chatroulette/budgets';
import { currentUser, requireAuth } from '@chatroulette/http';
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
  // Per user, across every instance (see the README's budgets).
  const perUser = (name: keyof typeof ctx.budgets, what: string) => budget(ctx.budgets[name], (req) => currentUser(req).userId, what);
  const edits = perUser('edits', 'edits');
  const deletes = perUser('deletes', 'deletes');
  const likes = perUser('likes', 'likes');
  const reads = perUser('reads', 'reads');
  const creates = perUser('chats', 'chats created');

  const chats = Router();
  chats.use(requireAuth(verify));
  chats.post('/', creates, createChatRoute(ctx));
  chats.get('/', listChatsRoute(ctx));
  chats.get('/:chat_id', getChatRoute(ctx));
  chats.get('/:chat_id/messages', listMessagesRoute(ctx));
  // Sends have their budget in the send statement itself (db/queries/send-budget.ts): no round trip of its own.
  chats.post('/:chat_id/messages', sendMessageRoute(ctx));
  app.use(apiPaths.chats, chats);

  const messages = Router();
  messages.use(requireAuth(verify));
  messages.put('/:message_id/edit', edits, editMessageRoute(ctx));
  messages.delete('/:message_id', deletes, deleteMessageRoute(ctx));
  messages.put('/:message_id/read', reads, readMessageRoute(ctx));
  messages.get('/:message_id/status', messageStatusRoute(ctx));
  messages.post('/:message_id/like', likes, likeMessageRoute(ctx, true));
  messages.delete('/:message_id/like', likes, likeMessageRoute(ctx, false));
  messages.get('/:message_id/likes', messageLikesRoute(ctx));
  app.use(apiPaths.messages, messages);
}
