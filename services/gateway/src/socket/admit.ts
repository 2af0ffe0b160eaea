import type { NatsConnection } from 'nats';
import { messagesChatsMember, type Subjects } from '@chatroulette/contracts';
import { AppError, forbidden, isAppError } from '@chatroulette/errors';
import { request } from '@chatroulette/nats';
import type { TokenVerifier, VerifiedToken } from '@chatroulette/tokens';
import type { Broker } from '../broker/broker.js';

export interface AdmitDeps {
  verify: TokenVerifier;
  broker: Broker;
  nc: NatsConnection;
  subjects: Subjects;
}

/**
 * What lets a socket in, at the upgrade or from a first auth frame: a valid token (401), and with a
 * chat_id the membership (403; 503 when messages is down). On success the user's (and chat's)
 * broker references belong to the socket, whose close handler releases them; on failure they are
 * released here and an AppError is thrown (a 404 chat is a 403: no hint that it exists).
 */
export async function admit(deps: AdmitDeps, token: string, chatId: string | null): Promise<VerifiedToken> {
  let heldUser: string | null = null;
  let heldChat: string | null = null;
  try {
    const user = await deps.verify(token);
    // The user's events subscription is in place before the socket opens, so nothing sent after is lost.
    heldUser = user.userId;
    const userReady = deps.broker.acquireUser(user.userId);
    if (chatId) {
      // Subscribe first, then ask: every event after the answer's last_seq is then caught.
      deps.broker.acquireChat(chatId);
      heldChat = chatId;
      const member = await request(deps.nc, deps.subjects.messagesChatsMember, messagesChatsMember, {
        chat_id: chatId,
        user_id: user.userId,
      });
      if (!member.is_member) throw forbidden('Not a participant of this chat');
      deps.broker.startChat(chatId, member.last_seq);
    }
    await userReady;
    return user;
  } catch (e) {
    releaseAdmitted(deps.broker, heldUser, heldChat);
    let err = isAppError(e) ? e : new AppError('internal', 'Internal error', { cause: e });
    if (err.status === 404) err = forbidden('Not a participant of this chat');
    throw err;
  }
}

/** Gives back what admit() took, when no socket will own it after all. */
export function releaseAdmitted(broker: Broker, userId: string | null, chatId: string | null): void {
  if (chatId) broker.releaseChat(chatId);
  if (userId) broker.releaseUser(userId);
}
