import { AppError, forbidden, isAppError } from '@chatroulette/errors';
import type { TokenVerifier, VerifiedToken } from '@chatroulette/tokens';
import type { Broker } from '../broker/broker.js';
import type { Membership } from '../clients/membership.js';
import type { SocketBudgets } from './budgets.js';

export interface AdmitDeps {
  verify: TokenVerifier;
  broker: Broker;
  membership: Membership;
  budgets: SocketBudgets;
}

/**
 * What lets a socket in, at the upgrade or from a first auth frame: a valid token (401), and with a
 * chat_id the membership (403; 503 when messages is down). On success the chat's broker reference
 * belongs to the socket, whose close handler releases it; on failure it is released here and an
 * AppError is thrown (a 404 chat is a 403: no hint that it exists).
 */
export async function admit(deps: AdmitDeps, token: string, chatId: string | null, since: number | null): Promise<VerifiedToken> {
  let heldChat: string | null = null;
  try {
    const user = await deps.verify(token);
    await deps.budgets.admit(user.userId, chatId, since);
    // The user events subscription is in place before the socket opens, so nothing sent after is lost.
    const userEventsReady = deps.broker.userEventsReady();
    if (chatId) {
      // Subscribe first, then ask: every event after the answer's last_seq is then caught.
      deps.broker.acquireChat(chatId);
      heldChat = chatId;
      const member = await deps.membership.check(chatId, user.userId);
      if (!member.is_member) throw forbidden('Not a participant of this chat');
      deps.broker.startChat(chatId, member.last_seq);
    }
    await userEventsReady;
    return user;
  } catch (e) {
    if (heldChat) deps.broker.releaseChat(heldChat);
    let err = isAppError(e) ? e : new AppError('internal', 'Internal error', { cause: e });
    if (err.status === 404) err = forbidden('Not a participant of this chat');
    throw err;
  }
}
