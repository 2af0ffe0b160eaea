import type { NatsConnection, Subscription } from 'nats';
import {
  messagesChatsCreate,
  messagesChatsEnd,
  messagesChatsMember,
  messagesChatsSave,
  messagesEventsList,
  queueGroups,
  type Subjects,
} from '@chatroulette/contracts';
import { serve } from '@chatroulette/nats';
import type { Ctx } from '../actions/context.js';
import { eventsAfter, memberStatus } from '../actions/chat-events.js';
import { createRouletteChat, endChat, saveChat } from '../actions/roulette-chats.js';
import { subscribeDeliveries } from './deliveries-report.js';

/** The requests this service answers, in the `messages` queue group so instances share them. */
export function serveRequests(ctx: Ctx, nc: NatsConnection, subjects: Subjects, track: <T>(p: Promise<T>) => Promise<T>): Subscription[] {
  const q = queueGroups.messages;
  return [
    serve(nc, subjects.messagesChatsMember, q, messagesChatsMember, (r) => track(memberStatus(ctx, r.chat_id, r.user_id)), ctx.log),
    serve(
      nc,
      subjects.messagesEventsList,
      q,
      messagesEventsList,
      (r) => track(eventsAfter(ctx, r.chat_id, r.after_seq, r.limit)),
      ctx.log,
    ),
    serve(
      nc,
      subjects.messagesChatsCreate,
      q,
      messagesChatsCreate,
      async (r) => ({ chat: await track(createRouletteChat(ctx, r.participant_ids, r.key)) }),
      ctx.log,
    ),
    serve(
      nc,
      subjects.messagesChatsEnd,
      q,
      messagesChatsEnd,
      (r) => track(endChat(ctx, r.chat_id, { userId: r.left_user_id, username: r.left_username })),
      ctx.log,
    ),
    serve(
      nc,
      subjects.messagesChatsSave,
      q,
      messagesChatsSave,
      async (r) => ({ chat: await track(saveChat(ctx, r.chat_id, r.user_id)) }),
      ctx.log,
    ),
    subscribeDeliveries(ctx, nc, subjects, track),
  ];
}
