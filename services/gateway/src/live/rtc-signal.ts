import { liveErrorCodes, liveFrames, rtcSignalKinds, type ClientFrameOf, type RtcSignalKind } from '@chatroulette/contracts';
import type { Budget } from '@chatroulette/budgets';
import { chatOf, isClosed, userOf, type Socket } from '../socket/socket-data.js';
import type { LiveBus } from './live-bus.js';
import { mayForward, refuse, type SenderDeps } from './sender.js';

export interface RtcSignalDeps extends SenderDeps {
  bus: LiveBus;
  budget: Budget;
}

const kinds = new Set<string>(rtcSignalKinds);
const isKind = (kind: string): kind is RtcSignalKind => kinds.has(kind);

/**
 * A client's `rtc_signal` frame: its `kind` and `data` to the chat's other participants, unchanged,
 * with `from`. The media never passes here: this is only the offer/answer/candidate exchange.
 */
export async function sendRtcSignal(deps: RtcSignalDeps, ws: Socket, frame: ClientFrameOf<'rtc_signal'>): Promise<void> {
  const chatId = chatOf(ws, frame.chat_id);
  const { kind, data } = frame.payload;
  if (!isKind(kind)) return refuse(ws, liveErrorCodes.unknownKind, `Unknown kind "${kind.slice(0, 50)}": one of ${rtcSignalKinds.join(', ')}`, chatId);
  if (!chatId) return refuse(ws, liveErrorCodes.chatRequired, 'Name the chat: chat_id', null);
  if (!(await mayForward(deps, ws, chatId, deps.budget)) || isClosed(ws)) return;
  const from = userOf(ws.getUserData());
  deps.bus.publish(chatId, 'rtc_signal', from, liveFrames.rtcSignal(chatId, { from, kind, data }));
}
