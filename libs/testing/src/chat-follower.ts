import WebSocket from 'ws';
import type { TestUser } from './http-client.js';
import { openSocket, UpgradeRefused, type SocketClient } from './socket-client.js';
import { sleep } from './wait-until.js';

/** How long a follower keeps trying to reconnect before it gives up. */
const RECONNECT_FOR_MS = 60_000;

/**
 * One user's socket on one chat that reconnects with `since=<last seq seen>` whenever it drops, to
 * the gateway `gateway()` names at that moment (its base URL). It records every seq it got, in
 * arrival order, and counts as they come: each seq must be the last one + 1 (a lower one is a
 * duplicate, a higher one a gap), so a test can count what was lost, duplicated or reordered.
 */
export class ChatFollower {
  last = 0;
  /** Every seq received, duplicates included, in arrival order. */
  readonly seqs: number[] = [];
  /** The frames that moved `last` on, in arrival order. */
  readonly events: { seq: number; type: string; payload: any }[] = [];
  readonly recoveries: any[] = [];
  /** The close code of each socket that ended. */
  readonly closes: number[] = [];
  duplicates = 0;
  gaps = 0;
  reconnects = 0;
  refusedUpgrades = 0;
  private socket: SocketClient | undefined;
  private stopped = false;
  private opened: Promise<void>;

  constructor(
    readonly user: TestUser,
    readonly chatId: string,
    private readonly gateway: () => string,
    private readonly label = user.username,
  ) {
    this.opened = this.connect();
  }

  /** Resolves once the current connection attempt has an open socket. */
  ready(): Promise<void> {
    return this.opened;
  }

  get connected(): boolean {
    return this.socket?.ws.readyState === WebSocket.OPEN;
  }

  private async connect(): Promise<void> {
    const deadline = Date.now() + RECONNECT_FOR_MS;
    for (let attempt = 0; !this.stopped; attempt++) {
      if (Date.now() > deadline) throw new Error(`${this.label}: could not reconnect for ${RECONNECT_FOR_MS / 1000} s`);
      try {
        this.follow(await openSocket(this.gateway(), { token: this.user.token, chat_id: this.chatId, since: this.last }));
        return;
      } catch (e) {
        if (e instanceof UpgradeRefused) this.refusedUpgrades++;
        await sleep(Math.min(100 * (attempt + 1), 500));
      }
    }
  }

  private follow(socket: SocketClient) {
    this.socket = socket;
    let taken = 0;
    const takeNew = () => {
      while (taken < socket.frames.length) this.take(socket.frames[taken++]);
    };
    takeNew();
    socket.ws.on('message', takeNew);
    void socket.closed.then(({ code }) => {
      this.closes.push(code);
      if (this.stopped) return;
      this.reconnects++;
      this.opened = this.connect();
    });
  }

  private take(f: any) {
    if (f.type === 'recovery') {
      this.recoveries.push(f);
      return;
    }
    if (typeof f.seq !== 'number') return;
    this.seqs.push(f.seq);
    if (f.seq <= this.last) {
      this.duplicates++;
      return;
    }
    if (f.seq !== this.last + 1) this.gaps++;
    this.last = f.seq;
    this.events.push({ seq: f.seq, type: f.type, payload: f.payload });
  }

  /** Waits until this follower has seen seq `target` (bounded). */
  async waitForSeq(target: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.last < target) {
      if (Date.now() > deadline) throw new Error(`${this.label}: at seq ${this.last}, expected ${target} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** The ids of the messages of the new_message frames, in arrival order. */
  messageIds(): string[] {
    return this.events.filter((e) => e.type === 'new_message').map((e) => e.payload.id as string);
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }

  /** Drops the socket at once (no close frame); it reconnects as after any drop. */
  kill(): void {
    this.socket?.ws.terminate();
  }
}
