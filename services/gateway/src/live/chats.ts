import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import type { Subjects } from '@chatroulette/contracts';
import type { Membership } from '../clients/membership.js';
import { outsideUws } from '../transport/outside-uws.js';

/** Who may take part in a chat's live frames, as of the chat's event `seq` it was read at. */
export interface ChatAccess {
  readonly participants: readonly string[];
  readonly open: boolean;
  readonly seq: number;
}

/** The membership answer's part that says it (messages.chats.member). */
export interface MemberAnswer {
  participants: string[];
  open: boolean;
  last_seq: number;
}

class LiveChat {
  /** Sockets and admissions in progress holding it. */
  refs = 1;
  access: ChatAccess | null = null;
  /** The seq of the last chatroulette_left forwarded on the chat (0: none). */
  endSeq = 0;
  constructor(readonly sub: Subscription) {}
}

export interface LiveChatsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  log: Logger;
  membership: Membership;
  /** A live frame from NATS on a chat held here (`live.<chat_id>.<kind>`). */
  received: (chatId: string, msg: Msg) => void;
}

/**
 * The chats with sockets here, for their live extras: one core NATS subscription per chat to its
 * live frames (reference-counted with the sockets, taken before the membership request as the
 * broker's is, so a frame sent once the socket is open is not missed), the participants and whether
 * the chat is open (from the membership answers, for the senders' checks), and which of them each
 * user takes part in (partner presence).
 */
export function createLiveChats(opts: LiveChatsOptions) {
  const { nc, subjects, log, membership } = opts;
  const chats = new Map<string, LiveChat>();
  const byParticipant = new Map<string, Set<string>>();

  /**
   * Takes an answer unless one read later (a higher seq) is known. An answer read before the chat's
   * last end is taken as closed until messages says otherwise. Participants never change: indexed once.
   */
  function learn(chatId: string, chat: LiveChat, access: ChatAccess): void {
    if (chat.access && access.seq < chat.access.seq) return;
    if (!chat.access) {
      for (const userId of access.participants) {
        let set = byParticipant.get(userId);
        if (!set) byParticipant.set(userId, (set = new Set()));
        set.add(chatId);
      }
    }
    if (access.seq >= chat.endSeq) return void (chat.access = access);
    chat.access = { ...access, open: false, seq: chat.endSeq };
    const askAs = access.participants[0];
    if (askAs) outsideUws(() => void recheck(chatId, askAs));
  }

  function forget(chatId: string, chat: LiveChat): void {
    for (const userId of chat.access?.participants ?? []) {
      const set = byParticipant.get(userId);
      set?.delete(chatId);
      if (set?.size === 0) byParticipant.delete(userId);
    }
  }

  /** After a chat's end, messages says whether it is closed (a saved chat lives on). */
  async function recheck(chatId: string, askAs: string): Promise<void> {
    try {
      const answer = await membership.check(chatId, askAs);
      const chat = chats.get(chatId);
      if (chat) learn(chatId, chat, accessOf(answer));
    } catch (err) {
      // It stays closed: the next socket admitted on the chat brings a fresh answer.
      log.warn({ err, chatId }, 'chat state after its end not read');
    }
  }

  return {
    acquire(chatId: string): void {
      const existing = chats.get(chatId);
      if (existing) return void existing.refs++;
      const sub = nc.subscribe(subjects.liveFrames(chatId), { callback: (err, msg) => !err && opts.received(chatId, msg) });
      chats.set(chatId, new LiveChat(sub));
    },

    /** A membership answer for a chat held here. */
    start(chatId: string, answer: MemberAnswer): void {
      const chat = chats.get(chatId);
      if (chat) learn(chatId, chat, accessOf(answer));
    },

    release(chatId: string): void {
      const chat = chats.get(chatId);
      if (!chat || --chat.refs > 0) return;
      chats.delete(chatId);
      forget(chatId, chat);
      // Called from uWS close handlers.
      outsideUws(() => chat.sub.unsubscribe());
    },

    /** What is known of a chat held here; null for another chat (ask messages). */
    access(chatId: string): ChatAccess | null {
      return chats.get(chatId)?.access ?? null;
    },

    /** The chats held here that the user takes part in. */
    chatsOf(userId: string): ReadonlySet<string> | undefined {
      return byParticipant.get(userId);
    },

    /**
     * A chatroulette_left went out on the chat (event `seq`): closed from now, which messages
     * confirms or corrects (a saved chat stays open) in an answer read after that event.
     */
    ended(chatId: string, seq: number): void {
      const chat = chats.get(chatId);
      if (!chat || seq <= chat.endSeq) return;
      chat.endSeq = seq;
      if (chat.access) learn(chatId, chat, chat.access);
    },

    close(): void {
      for (const chat of chats.values()) chat.sub.unsubscribe();
      chats.clear();
      byParticipant.clear();
    },
  };
}

export type LiveChats = ReturnType<typeof createLiveChats>;

export function accessOf(answer: MemberAnswer): ChatAccess {
  return { participants: answer.participants, open: answer.open, seq: answer.last_seq };
}
