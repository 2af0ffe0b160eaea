import type { Logger } from 'pino';
import { liveFrames, userPresenceEvent } from '@chatroulette/contracts';
import { decodeJson } from '@chatroulette/nats';
import type { Hub } from '../hub/hub.js';
import type { LiveChats } from './chats.js';
import { sendToOthers } from './fan-out.js';

/**
 * Auth's `user.<id>.presence` (the user's state across every gateway turned) as `user_status` frames
 * to the other participants' sockets here of each chat the user takes part in.
 */
export function partnerPresence(deps: { chats: Pick<LiveChats, 'chatsOf'>; hub: Hub; log: Logger }) {
  return (userId: string, data: Uint8Array): void => {
    const chats = deps.chats.chatsOf(userId);
    if (!chats || chats.size === 0) return;
    let event;
    try {
      event = userPresenceEvent.parse(decodeJson(data));
    } catch {
      return void deps.log.warn({ userId }, 'malformed user presence event dropped');
    }
    if (event.user_id !== userId) return void deps.log.warn({ userId }, 'user presence event for another user dropped');
    const { user_id, username, is_online, last_seen } = event;
    for (const chatId of chats) sendToOthers(deps.hub, chatId, userId, JSON.stringify(liveFrames.userStatus(chatId, { user_id, username, is_online, last_seen })));
  };
}
