import type { Msg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { BudgetFactory } from '@chatroulette/budgets';
import { liveErrorCodes, liveFrames, liveKinds, type ClientFrameOf, type Subjects } from '@chatroulette/contracts';
import type { GatewayBlocks } from '../blocks/gateway-blocks.js';
import type { Membership } from '../clients/membership.js';
import type { Hub } from '../hub/hub.js';
import { inOrder } from '../socket/frame-queue.js';
import type { Socket } from '../socket/socket-data.js';
import { createLiveChats } from './chats.js';
import { sendToOthers } from './fan-out.js';
import { liveBudgets, type LiveBudgetRules } from './live-budgets.js';
import { createLiveBus, readLiveMessage } from './live-bus.js';
import { partnerPresence } from './partner-presence.js';
import { sendRtcSignal } from './rtc-signal.js';
import { sendTyping } from './typing.js';
import { TypingThrottle } from './typing-throttle.js';

export interface LiveOptions {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  hub: Hub;
  membership: Membership;
  blocks: Pick<GatewayBlocks, 'isBlockedPair'>;
  budgets: BudgetFactory;
  rules: LiveBudgetRules;
}

const kinds = new Set<string>(liveKinds);

/** What a live frame gets when it waits behind too many, or could not be handled. */
const liveAnswers = {
  full: () => liveFrames.error(liveErrorCodes.tooManyRequests, 'Too many frames waiting; slow down', null),
  failed: () => liveFrames.error(liveErrorCodes.unavailable, 'The frame could not be handled; try again', null),
};

/**
 * The socket's live extras (contract "Live extras on the socket"): typing and WebRTC signalling
 * from a client to the other participants of a chat, on any gateway, and partner presence from
 * auth's user presence. Ephemeral: no seq, never stored or replayed.
 */
export function createLive(opts: LiveOptions) {
  const { nc, subjects, log, hub, membership } = opts;
  const bus = createLiveBus(nc, subjects, log);
  const sent = new TypingThrottle();
  const forwarded = new TypingThrottle();

  /** A live frame from any gateway (this one's too) to the sockets here on the chat, the sender's own left out. */
  function received(chatId: string, msg: Msg): void {
    const live = readLiveMessage(msg);
    if (!live || !kinds.has(live.kind)) return;
    if (live.kind === 'typing' && live.typing && !forwarded.admit(live.from, chatId)) return;
    sendToOthers(hub, chatId, live.from, live.data);
  }

  const chats = createLiveChats({ nc, subjects, log, membership, received });
  const budgets = liveBudgets(opts.budgets, opts.rules);
  const sender = { chats, membership, blocks: opts.blocks, log, bus };

  return {
    /** Held by each admitted socket on a chat (socket/admit.ts). */
    chats,
    /** The `user.<id>.presence` events of the broker's user subscription. */
    presence: partnerPresence({ chats, hub, log }),
    /** The client frames handled here, for the socket's frame table. */
    frames: {
      typing: (ws: Socket, frame: ClientFrameOf<'typing'>) =>
        inOrder(ws, log, { run: () => sendTyping({ ...sender, budget: budgets.typing, throttle: sent }, ws, frame), ...liveAnswers }),
      rtc_signal: (ws: Socket, frame: ClientFrameOf<'rtc_signal'>) =>
        inOrder(ws, log, { run: () => sendRtcSignal({ ...sender, budget: budgets.rtcSignals }, ws, frame), ...liveAnswers }),
    },
    close: () => chats.close(),
  };
}

export type Live = ReturnType<typeof createLive>;
