import type { RecoveryFrame } from '@chatroulette/contracts';
import { SeqGate } from './seq-gate.js';

/** What to do with a frame: hand it to the app, drop it (seen already), or reconnect with since (a gap). */
export type Verdict = 'deliver' | 'drop' | 'resync';

/**
 * What the app has been given, so nothing reaches it twice or out of order: the last seq per chat
 * (the socket's chat starts at `since`), and the roulette matches (they have no seq).
 */
export class DeliveryOrder {
  private readonly gates = new Map<string, SeqGate>();
  private readonly matches = new Set<string>();

  constructor(
    private readonly chatId: string | null,
    since: number | null,
  ) {
    if (chatId) this.gates.set(chatId, new SeqGate(since));
  }

  /** The last seq of the socket's chat given to the app (null before one is known). */
  get lastSeq(): number | null {
    return this.chatId ? this.gates.get(this.chatId)!.last : null;
  }

  set lastSeq(seq: number | null) {
    if (this.chatId) this.gates.get(this.chatId)!.last = seq;
  }

  chatEvent(chatId: string, seq: number): Verdict {
    let gate = this.gates.get(chatId);
    if (!gate) this.gates.set(chatId, (gate = new SeqGate()));
    const verdict = gate.check(seq);
    if (verdict === 'deliver') return 'deliver';
    // Only the socket's own chat can be replayed (since goes with its chat_id).
    return verdict === 'gap' && chatId === this.chatId ? 'resync' : 'drop';
  }

  /** A match seen once is not delivered again (a publish retried upstream). */
  match(chatId: string): Verdict {
    if (this.matches.has(chatId)) return 'drop';
    this.matches.add(chatId);
    return 'deliver';
  }

  /**
   * The recovery frame after a reconnect: `recovered` (every event up to `seq` given), `reset` (events
   * after our seq are gone: from now on the socket continues after the server's seq, the app reloads),
   * or `resync` (the server replayed less than it says: reconnect).
   */
  recovery(frame: RecoveryFrame): 'recovered' | 'reset' | 'resync' | 'other chat' {
    if (frame.chat_id !== this.chatId) return 'other chat';
    const { recovered, seq } = frame.payload;
    if (!recovered) {
      this.lastSeq = seq;
      return 'reset';
    }
    const last = this.lastSeq;
    return last !== null && seq > last ? 'resync' : 'recovered';
  }
}
