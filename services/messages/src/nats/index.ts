import {
  messagesChatsCreate,
  messagesChatsCreateMany,
  messagesChatsEnd,
  messagesChatsMember,
  messagesChatsRecent,
  messagesChatsSave,
  messagesDeliveriesReport,
  messagesEventsList,
  messagesRead,
  messagesSend,
  type Subjects,
} from '@chatroulette/contracts';
import type { NatsHandlers } from '@chatroulette/nats';
import { markReadOverSocket, sendOverNats } from '../use-cases/nats-sends.js';
import type { MessagesContext } from '../context.js';
import { createRouletteChat, createRouletteChats } from '../use-cases/create-roulette-chat.js';
import { endChat } from '../use-cases/end-chat.js';
import { eventsAfter } from '../use-cases/events-after.js';
import { memberStatus } from '../use-cases/member-status.js';
import { recentMessages } from '../use-cases/recent-messages.js';
import { reportDeliveries } from '../use-cases/report-deliveries.js';
import { saveChat } from '../use-cases/save-chat.js';

/** The requests this service answers over NATS, and the delivery receipts it consumes. */
export function mountNatsHandlers(handlers: NatsHandlers, ctx: MessagesContext, subjects: Subjects): void {
  handlers.reply(subjects.messagesChatsMember, messagesChatsMember, (r) => memberStatus(ctx, r.chat_id, r.user_id));
  handlers.reply(subjects.messagesEventsList, messagesEventsList, (r) => eventsAfter(ctx, r.chat_id, r.after_seq, r.limit));
  handlers.reply(subjects.messagesChatsCreate, messagesChatsCreate, async (r) => ({
    chat: await createRouletteChat(ctx, r.participant_ids, r.key),
  }));
  handlers.reply(subjects.messagesChatsCreateMany, messagesChatsCreateMany, async (r) => ({
    chats: await createRouletteChats(
      ctx,
      r.chats.map((c) => ({ participantIds: c.participant_ids, key: c.key })),
    ),
  }));
  handlers.reply(subjects.messagesChatsEnd, messagesChatsEnd, (r) =>
    endChat(ctx, r.chat_id, { userId: r.left_user_id, username: r.left_username }),
  );
  handlers.reply(subjects.messagesChatsSave, messagesChatsSave, async (r) => ({ chat: await saveChat(ctx, r.chat_id, r.user_id) }));
  // The gateway's requests for its sockets' send_message and mark_read frames, and for REST sends.
  handlers.reply(subjects.messagesSend, messagesSend, (r) => sendOverNats(ctx, r));
  handlers.reply(subjects.messagesRead, messagesRead, (r) => markReadOverSocket(ctx, r));
  handlers.reply(subjects.messagesChatsRecent, messagesChatsRecent, (r) => recentMessages(ctx, r.chat_id, r.limit));
  // Published by the gateway without a reply: a failure is logged by the handlers.
  handlers.consume(subjects.messagesDeliveriesReport, messagesDeliveriesReport, (r) => reportDeliveries(ctx, r.receipts));
}
