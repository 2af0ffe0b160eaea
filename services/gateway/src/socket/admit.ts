import { AppError, forbidden, isAppError } from '@chatroulette/errors';
import type { TokenVerifier, VerifiedToken } from '@chatroulette/tokens';
import type { GatewayBlocks } from '../blocks/gateway-blocks.js';
import type { Broker } from '../broker/broker.js';
import type { Membership } from '../clients/membership.js';
import type { LiveChats } from '../live/chats.js';
import type { KeyedSlots } from '../transport/keyed-slots.js';
import type { SocketBudgets } from './budgets.js';

export interface AdmitDeps {
  verify: TokenVerifier;
  broker: Broker;
  membership: Membership;
  /** The chats' live frames and who takes part in them, held like the broker's subscriptions. */
  liveChats: Pick<LiveChats, 'acquire' | 'start' | 'release'>;
  /** Sockets per user on this gateway (GATEWAY_MAX_SOCKETS_PER_USER), admitted or being admitted. */
  userSockets: KeyedSlots;
  /** The shared rate budgets of admissions and replays (socket/budgets.ts). */
  budgets: SocketBudgets;
  /** The blocks of the users with sockets here, loaded when a user's socket is admitted. */
  blocks: Pick<GatewayBlocks, 'acquire' | 'release'>;
}

/** What the socket asks for and where it comes from. */
export interface AdmitRequest {
  chatId: string | null;
  since: number | null;
  /** The client's address bucket (libs/http addressBucket), for the per-address budget. */
  addressBucket: string;
}

export interface Admitted {
  user: VerifiedToken;
  /** The chat's last seq in the membership answer (null without chat_id): where a `since` replay can reach. */
  lastSeq: number | null;
}

/**
 * What lets a socket in, at the upgrade or from a first auth frame: a valid token (401), a free
 * socket slot of the user (429), the user's blocks known here (503 when auth is down), and with a
 * chat_id the membership (403; 503 when messages is down).
 * On success the chat's broker reference, the user's slot and blocks belong to the socket, whose close
 * handler gives them back (releaseAdmission); on failure they are given back here and an AppError is
 * thrown (a 404 chat is a 403: no hint that it exists).
 */
export async function admit(deps: AdmitDeps, token: string, at: AdmitRequest): Promise<Admitted> {
  const { chatId, since, addressBucket } = at;
  let heldChat: string | null = null;
  let heldUser: string | null = null;
  let heldBlocks = false;
  let blocksKnown: Promise<void> = Promise.resolve();
  try {
    const user = await deps.verify(token);
    await deps.budgets.admit({ userId: user.userId, addressBucket, replay: chatId !== null && since !== null });
    if (!deps.userSockets.tryTake(user.userId)) throw new AppError('too_many_requests', `At most ${deps.userSockets.cap} sockets per user`);
    heldUser = user.userId;
    // Beside the membership check: the frame checks between a blocked pair need them from the first frame.
    blocksKnown = deps.blocks.acquire(user.userId).then(() => void (heldBlocks = true));
    // Awaited below; until then a failure must not count as unhandled.
    blocksKnown.catch(() => undefined);
    // The user events subscription is in place before the socket opens, so nothing sent after is lost.
    const userEventsReady = deps.broker.userEventsReady();
    if (chatId) {
      // Subscribe first, then ask: every event (and live frame) after the answer is then caught.
      deps.broker.acquireChat(chatId);
      deps.liveChats.acquire(chatId);
      heldChat = chatId;
      const member = await deps.membership.check(chatId, user.userId);
      if (!member.is_member) throw forbidden('Not a participant of this chat');
      deps.broker.startChat(chatId, member.last_seq);
      deps.liveChats.start(chatId, member);
      await Promise.all([userEventsReady, blocksKnown]);
      return { user, lastSeq: member.last_seq };
    }
    await Promise.all([userEventsReady, blocksKnown]);
    return { user, lastSeq: null };
  } catch (e) {
    if (heldChat) releaseChat(deps, heldChat);
    if (heldUser) deps.userSockets.give(heldUser);
    await blocksKnown.catch(() => undefined);
    if (heldUser && heldBlocks) deps.blocks.release(heldUser);
    let err = isAppError(e) ? e : new AppError('internal', 'Internal error', { cause: e });
    if (err.status === 404) err = forbidden('Not a participant of this chat');
    throw err;
  }
}

/** Gives back what an admission took, for a socket admitted that will not (or no longer) hold it. */
export function releaseAdmission(deps: AdmitDeps, userId: string, chatId: string | null): void {
  deps.userSockets.give(userId);
  deps.blocks.release(userId);
  if (chatId) releaseChat(deps, chatId);
}

function releaseChat(deps: AdmitDeps, chatId: string): void {
  deps.broker.releaseChat(chatId);
  deps.liveChats.release(chatId);
}
