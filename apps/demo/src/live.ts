import type { ChatSocket, ServerFrame, SocketState } from '@chatroulette/client';
import { client } from './client.js';
import { sessionEnded } from './session.js';
import { Store } from './store.js';

/** What the header shows: `connected` once the socket is admitted, `reconnecting` while one is being made. */
export type ConnectionStatus = 'connected' | 'reconnecting' | 'offline';

export interface LiveListener {
  frame?: (frame: ServerFrame) => void;
  /** The socket is admitted again after a loss: state may have moved on meanwhile (a match, say). */
  reopened?: () => void;
  /** The chat's missed events are no longer kept: reload its history. */
  reset?: (chatId: string) => void;
}

export const connection = new Store<ConnectionStatus>('offline');

/**
 * The one socket of the app: on the open chat (its events and the user's own), or on no chat while
 * the user is only searching (then it gets the user's events: chatroulette_match). The client behind
 * it reconnects, resumes with `since` and never delivers a frame twice.
 */
class Live {
  private socket: ChatSocket | null = null;
  private readonly listeners = new Set<LiveListener>();
  private wasOpen = false;

  get chatId(): string | null {
    return this.socket?.chatId ?? null;
  }

  get current(): ChatSocket | null {
    return this.socket;
  }

  /** Opens the socket for `chatId` (null: the user's events only), after `since` when given. */
  use(chatId: string | null, since?: number): void {
    if (this.socket && this.socket.chatId === chatId && since === undefined) return;
    this.stop();
    const socket = client.socket({ ...(chatId ? { chatId } : {}), ...(since !== undefined ? { since } : {}) });
    this.socket = socket;
    this.wasOpen = false;
    connection.set('reconnecting');
    socket.on('state', (s) => this.onState(socket, s));
    socket.on('frame', (f) => this.socket === socket && this.each((l) => l.frame?.(f)));
    socket.on('reset', ({ chatId: id }) => this.socket === socket && this.each((l) => l.reset?.(id)));
    socket.on('closed', ({ cause }) => {
      if (this.socket === socket && cause === 'unauthorized') {
        this.stop();
        sessionEnded();
      }
    });
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
    connection.set('offline');
  }

  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onState(socket: ChatSocket, state: SocketState): void {
    if (this.socket !== socket) return;
    connection.set(state === 'open' ? 'connected' : state === 'closed' ? 'offline' : 'reconnecting');
    if (state !== 'open') return;
    if (this.wasOpen) this.each((l) => l.reopened?.());
    this.wasOpen = true;
  }

  private each(fn: (l: LiveListener) => void): void {
    for (const l of [...this.listeners]) fn(l);
  }
}

export const live = new Live();

// The browser knows first when the network is back: skip the backoff wait.
addEventListener('online', () => live.current?.reconnectNow());
