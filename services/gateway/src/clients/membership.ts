import type { NatsConnection } from 'nats';
import { messagesChatsMember, type Subjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';

/** The messages service's answer to "is this user a participant of this chat" (messages.chats.member). */
export function createMembership(nc: NatsConnection, subjects: Subjects) {
  return {
    /** Whether the user is a participant, and the chat's last seq at the time of the answer. */
    check(chatId: string, userId: string) {
      return request(nc, subjects.messagesChatsMember, messagesChatsMember, { chat_id: chatId, user_id: userId });
    },
  };
}

export type Membership = ReturnType<typeof createMembership>;
