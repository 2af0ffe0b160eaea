import { liveErrorCodes, liveFrames, type ClientFrameOf } from '@chatroulette/contracts';
import type { Budget } from '@chatroulette/budgets';
import { chatOf, isClosed, userOf, type Socket } from '../socket/socket-data.js';
import type { LiveBus } from './live-bus.js';
import { mayForward, refuse, type SenderDeps } from './sender.js';
import type { TypingThrottle } from './typing-throttle.js';

export interface TypingDeps extends SenderDeps {
  bus: LiveBus;
  budget: Budget;
  /** This gateway's senders: a throttled `true` is dropped before it costs anything. */
  throttle: TypingThrottle;
}

/**
 * A client's `typing` frame: to the chat's other participants. An `is_typing: true` within 2 s of
 * the last one forwarded for this user and chat is dropped without an error; the rest spend the
 * typing budget and pass mayReach.
 */
export async function sendTyping(deps: TypingDeps, ws: Socket, frame: ClientFrameOf<'typing'>): Promise<void> {
  const chatId = chatOf(ws, frame.chat_id);
  if (!chatId) return refuse(ws, liveErrorCodes.chatRequired, 'Name the chat: chat_id', null);
  const data = ws.getUserData();
  const userId = userOf(data);
  const isTyping = frame.payload.is_typing;
  if (isTyping && deps.throttle.blocked(userId, chatId)) return;
  if (!(await mayForward(deps, ws, chatId, deps.budget)) || isClosed(ws)) return;
  // Another socket of the user may have sent one while this one waited.
  if (isTyping && !deps.throttle.admit(userId, chatId)) return;
  deps.bus.publish(chatId, 'typing', userId, liveFrames.typing(chatId, { user_id: userId, username: data.username, is_typing: isTyping }), isTyping);
}
