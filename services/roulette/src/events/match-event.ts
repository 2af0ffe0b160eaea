import type { PublicUser, Subjects, UserEventFrame } from '@chatroulette/contracts';
import type { OutboxEvent } from '../db/queries/outbox.js';

/** chatroulette_match for `userId`: the client frame naming the partner, deduplicated per match and user. */
export function matchEvent(subjects: Subjects, matchId: string, userId: string, chatId: string, partner: PublicUser): OutboxEvent {
  const frame: UserEventFrame<'chatroulette_match'> = {
    type: 'chatroulette_match',
    chat_id: chatId,
    payload: {
      user: { id: partner.id, username: partner.username, is_online: partner.is_online, last_seen: partner.last_seen },
      chat_id: chatId,
    },
  };
  return {
    subject: subjects.userEvent(userId, 'chatroulette_match'),
    body: JSON.stringify(frame),
    dedupId: `${matchId}:${userId}`,
  };
}
