import type { RefFrameType } from '@chatroulette/contracts';
import { OPEN, type WebSocketLike } from './websocket.js';

const ignore = () => undefined;

/** One WebSocket of a ChatSocket, from its opening to its close; a reconnect makes a new one. */
export class Connection {
  /** Admitted: auth_ok came. */
  authed = false;
  /** An auth frame with a fresh token is waiting for its auth_ok. */
  renewing = false;
  lastFrameAt = Date.now();
  /** Closed or given up: its timers are stopped and nothing more is sent on it. */
  disposed = false;
  readonly openedAt = Date.now();
  /** Frame types this server answered with `unknown_type`: sent over REST on this connection. */
  readonly unsupported = new Set<RefFrameType>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly ws: WebSocketLike,
    /** The token the socket is admitted with (the latest one sent). */
    public token: string,
  ) {
    // A failed connection reports its error, then its close: the close is what the client acts on.
    ws.onerror = ignore;
  }

  get sendable(): boolean {
    return this.authed && this.ws.readyState === OPEN;
  }

  send(frame: object): boolean {
    if (this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** One timer per name: setting it again replaces it. */
  timer(name: string, ms: number, run: () => void): void {
    this.clear(name);
    if (this.disposed) return;
    this.timers.set(name, setTimeout(() => {
      this.timers.delete(name);
      run();
    }, ms));
  }

  clear(name: string): void {
    const t = this.timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(name);
  }

  /** Stops every timer and detaches from the WebSocket; closes it unless it is closed already. */
  dispose(code?: number, reason?: string): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const ws = this.ws;
    ws.onopen = ws.onmessage = ws.onclose = null;
    // `ws` throws an error event nobody listens to (closing a socket still connecting emits one).
    ws.onerror = ignore;
    try {
      if (ws.readyState <= OPEN) ws.close(code, reason);
    } catch {
      // Closing a socket that never opened can throw in some implementations; it is gone either way.
    }
  }
}
