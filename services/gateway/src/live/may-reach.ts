import { liveErrorCodes } from '@chatroulette/contracts';
import { isAppError } from '@chatroulette/errors';
import type { GatewayBlocks } from '../blocks/gateway-blocks.js';
import type { Membership } from '../clients/membership.js';
import { accessOf, type ChatAccess, type LiveChats } from './chats.js';

export type Reach = { ok: true; others: string[] } | { ok: false; code: string; message: string };

export interface ReachDeps {
  chats: Pick<LiveChats, 'access'>;
  membership: Membership;
  /** The blocks of the users with sockets here (a sender's own are always known). */
  blocks: Pick<GatewayBlocks, 'isBlockedPair'>;
}

/**
 * Whether `senderId` may reach the other participants of `chatId` with a live frame (typing, a
 * WebRTC signal): a participant, of a chat still open, blocking none of the others and blocked by
 * none (either way round). The one place this is decided, so every rule
 * about who may reach whom (blocks, too) is added here. A chat held here is answered from what its
 * membership answers said; another is asked of messages.
 */
export async function mayReach(deps: ReachDeps, senderId: string, chatId: string): Promise<Reach> {
  let access: ChatAccess | null = deps.chats.access(chatId);
  if (!access) {
    try {
      const answer = await deps.membership.check(chatId, senderId);
      access = answer.is_member ? accessOf(answer) : null;
    } catch (e) {
      // A 404 is a refusal like any other: no hint that the chat exists.
      if (!isAppError(e) || e.status !== 404) return { ok: false, code: liveErrorCodes.unavailable, message: 'The chat could not be checked; try again' };
    }
  }
  if (!access || !access.participants.includes(senderId)) return { ok: false, code: liveErrorCodes.notParticipant, message: 'Not a participant of this chat' };
  if (!access.open) return { ok: false, code: liveErrorCodes.chatClosed, message: 'This chat has ended' };
  const others = access.participants.filter((id) => id !== senderId);
  if (others.some((other) => deps.blocks.isBlockedPair(senderId, other))) return { ok: false, code: liveErrorCodes.blocked, message: 'Blocked: this frame cannot reach the other participant' };
  return { ok: true, others };
}
