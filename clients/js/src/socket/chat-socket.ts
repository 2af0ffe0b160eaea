import type { AckFrame, ErrorFrame, MessageObject, ReadState, RecoveryFrame, RtcSignalKind, SendMessageInput, ServerFrame } from '@chatroulette/contracts';
import { Emitter } from '../emitter.js';
import { ApiError } from '../errors.js';
import type { Session } from '../session.js';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.js';
import { closeAction, type StopCause } from './close-policy.js';
import { Connection } from './connection.js';
import type { Closed, SocketEvents, SocketState } from './events.js';
import { PendingRefs } from './refs.js';
import { renewDelay } from './renewal.js';
import { Sender, type RestSends } from './sender.js';
import { SeqGate } from './seq-gate.js';
import { socketUrl } from './socket-url.js';
import { frameText, webSocketClass, type WebSocketClass } from './websocket.js';

export interface SocketOptions {
  /** The chat whose events this socket gets (without it: only the user's own events, e.g. chatroulette_match). */
  chatId?: string;
  /**
   * The last seq the app has (e.g. `last_seq` of the chat it loaded with its history): events after
   * it are replayed first. Default: the chat's `last_seq` now (GET /chats/{id}), so events from now on.
   */
  since?: number;
  reconnect?: Partial<BackoffOptions>;
  /** Renew the token this long before it expires (at most a third of what is left). Default 60 s. */
  renewBeforeMs?: number;
  /** A ping when nothing came for this long (0: never). Default 25 s. */
  pingIntervalMs?: number;
  /** Nothing at all for ping interval + this long: the connection is dead, make another. Default 10 s. */
  pongTimeoutMs?: number;
  /** No auth_ok this long after the socket opened (or after a renewal's auth frame): reconnect. Default 10 s. */
  authTimeoutMs?: number;
  /**
   * `auto` (default): send_message and mark_read go over the socket with `ref` acks where the server
   * answers them, else over REST; `rest`: always REST.
   */
  sends?: 'auto' | 'rest';
  /** A frame sent with a ref and not answered within this is sent again over REST. Default 10 s. */
  ackTimeoutMs?: number;
  /** How long `send` and `markRead` keep trying through an outage (no answer, 502/503/504). Default 30 s. */
  retryForMs?: number;
}

export interface SocketDeps {
  baseUrl: string;
  session: Session;
  WebSocket: WebSocketClass | undefined;
  rest: RestSends & { lastSeq: (chatId: string) => Promise<number> };
}

/** A connection lived this long counts as stable: the next reconnect starts the backoff again. */
const STABLE_MS = 10_000;
/** Code of the closes the client itself makes to reconnect (gap, dead link, no auth_ok). */
const CLIENT_RECONNECT = 4000;
/** Error codes of a refused auth frame on an open socket (services/gateway/src/socket/reauth.ts). */
const reauthErrors = new Set(['invalid_token', 'auth_user_mismatch', 'auth_unavailable']);

/**
 * One socket on the gateway that stays connected: it reconnects with backoff and jitter, resumes
 * each time with `since` = the last seq it delivered, tells the app `recovered` or `reset`, follows
 * the close codes, renews its token over the socket before it expires, and delivers each chat event
 * exactly once and in order.
 */
export class ChatSocket extends Emitter<SocketEvents> {
  readonly chatId: string | null;
  private current: SocketState = 'connecting';
  private closedInfo: Closed | null = null;
  private conn: Connection | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** A token to connect with that replaces one the server refused. */
  private nextToken: string | null = null;
  private readonly gates = new Map<string, SeqGate>();
  private readonly matches = new Set<string>();
  private readonly refs = new PendingRefs();
  private readonly sender: Sender;
  private readonly backoff: BackoffOptions;
  private readonly opts: Required<Omit<SocketOptions, 'chatId' | 'since' | 'reconnect'>>;

  constructor(
    private readonly deps: SocketDeps,
    options: SocketOptions = {},
  ) {
    super();
    this.chatId = options.chatId?.toLowerCase() ?? null;
    if (this.chatId) this.gates.set(this.chatId, new SeqGate(options.since ?? null));
    this.backoff = { ...defaultBackoff, ...options.reconnect };
    this.opts = {
      renewBeforeMs: options.renewBeforeMs ?? 60_000,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
      authTimeoutMs: options.authTimeoutMs ?? 10_000,
      sends: options.sends ?? 'auto',
      ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
      retryForMs: options.retryForMs ?? 30_000,
    };
    this.sender = new Sender({
      chatId: this.chatId,
      rest: deps.rest,
      refs: this.refs,
      connection: () => (this.opts.sends === 'auto' ? this.conn : null),
      backoff: this.backoff,
      retryForMs: this.opts.retryForMs,
      ackTimeoutMs: this.opts.ackTimeoutMs,
    });
    void this.connect();
  }

  get state(): SocketState {
    return this.current;
  }

  /** Why it stopped, once `closed`. */
  get closed(): Closed | null {
    return this.closedInfo;
  }

  /** The last seq of the socket's chat delivered to the app (null before any is known). */
  get lastSeq(): number | null {
    return this.chatId ? (this.gates.get(this.chatId)?.last ?? null) : null;
  }

  /** Sends a message: over the socket with an ack where served, else REST; kept in call order, retried through an outage, never stored twice. */
  send(input: SendMessageInput): Promise<MessageObject> {
    return this.sender.send(input);
  }

  /** Marks a message read (over the socket where served, else REST). */
  markRead(messageId: string): Promise<ReadState> {
    return this.sender.markRead(messageId);
  }

  /** Tells the chat's other participants whether the user types. False when not connected (it is ephemeral). */
  typing(isTyping = true): boolean {
    return this.sendLive({ type: 'typing', ...this.chatField(), payload: { is_typing: isTyping } });
  }

  /** A WebRTC signal to the chat's other participants. False when not connected: nothing is queued. */
  rtcSignal(kind: RtcSignalKind, data: unknown): boolean {
    return this.sendLive({ type: 'rtc_signal', ...this.chatField(), payload: { kind, data } });
  }

  /** Skips the backoff wait (e.g. when the browser says it is online again). */
  reconnectNow(): void {
    if (this.current !== 'reconnecting' || this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.connect();
  }

  /** Stops for good. Sends in progress finish over REST. */
  close(): void {
    this.stop('closed', 1000, 'closed by the app');
  }

  private chatField() {
    return this.chatId ? { chat_id: this.chatId } : {};
  }

  private sendLive(frame: object): boolean {
    const conn = this.conn;
    return !!conn?.sendable && conn.send(frame);
  }

  /** A method, not a field read: the state changes across the awaits of connect(). */
  private isClosed(): boolean {
    return this.current === 'closed';
  }

  private setState(state: SocketState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state);
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.current === 'closed') return;
    let token: string | null;
    try {
      if (this.chatId && this.gates.get(this.chatId)!.last === null) this.gates.get(this.chatId)!.last = await this.deps.rest.lastSeq(this.chatId);
      token = this.nextToken ?? (await this.tokenToConnect());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return this.onRefused(null);
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return this.stop('forbidden', 0, e.message);
      return this.retryLater();
    }
    this.nextToken = null;
    if (!token) return this.stop('unauthorized', 0, 'no token');
    const WebSocket = await webSocketClass(this.deps.WebSocket);
    if (this.isClosed()) return;
    const conn = new Connection(new WebSocket(socketUrl(this.deps.baseUrl, this.chatId, this.lastSeq)), token);
    this.conn = conn;
    const { ws } = conn;
    ws.onopen = () => {
      conn.send({ type: 'auth', token: conn.token });
      conn.timer('auth', this.opts.authTimeoutMs, () => this.abandon(conn, 'no auth_ok in time'));
    };
    ws.onmessage = (ev) => this.onMessage(conn, ev.data);
    ws.onclose = (ev) => this.onClose(conn, ev.code, ev.reason);
  }

  /** The session's token, renewed first when it is about to expire (after a long sleep, say). */
  private async tokenToConnect(): Promise<string | null> {
    const token = await this.deps.session.current();
    const expiresAt = this.deps.session.expiresAt();
    if (token === null || expiresAt === null || expiresAt - Date.now() > Math.min(this.opts.renewBeforeMs, 10_000)) return token;
    return this.deps.session.fresh('renew', token).catch(() => token);
  }

  private onMessage(conn: Connection, data: unknown): void {
    const text = frameText(data);
    if (text === null) return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return;
    conn.lastFrameAt = Date.now();
    switch (frame.type) {
      case 'auth_ok':
        return this.onAuthOk(conn, frame.payload.exp);
      case 'pong':
        return;
      case 'ack':
        return this.refs.ack((frame as AckFrame).ref, frame.payload);
      case 'error':
        return this.onError(conn, frame);
      case 'recovery':
        return this.onRecovery(conn, frame);
      case 'chatroulette_match':
        // Not numbered: a match seen once is not delivered again (a retried publish, a second socket's copy).
        if (this.matches.has(frame.payload.chat_id)) return;
        this.matches.add(frame.payload.chat_id);
        return this.deliver(frame);
    }
    if ('seq' in frame && typeof frame.seq === 'number') return this.onChatEvent(conn, frame);
    this.deliver(frame);
  }

  private deliver(frame: ServerFrame): void {
    this.emit('frame', frame);
    (this.emit as (type: string, payload: unknown, frame: ServerFrame) => void)(frame.type, 'payload' in frame ? frame.payload : undefined, frame);
  }

  private onChatEvent(conn: Connection, frame: ServerFrame & { seq: number; chat_id: string }): void {
    let gate = this.gates.get(frame.chat_id);
    if (!gate) this.gates.set(frame.chat_id, (gate = new SeqGate()));
    const verdict = gate.check(frame.seq);
    if (verdict === 'deliver') return this.deliver(frame);
    // A gap on the socket's chat: reconnect with since = the last seq delivered, the gateway replays the rest.
    if (verdict === 'gap' && frame.chat_id === this.chatId) this.abandon(conn, `gap after seq ${gate.last}`);
  }

  private onRecovery(conn: Connection, frame: RecoveryFrame): void {
    if (frame.chat_id !== this.chatId) return;
    const gate = this.gates.get(this.chatId)!;
    const { recovered, seq } = frame.payload;
    if (!recovered) {
      gate.last = seq;
      return this.emit('reset', { chatId: this.chatId, seq });
    }
    if (gate.last !== null && seq > gate.last) return this.abandon(conn, `recovered up to ${seq} but seq ${gate.last} delivered`);
    this.emit('recovered', { chatId: this.chatId, seq });
  }

  private onAuthOk(conn: Connection, exp: number): void {
    conn.clear('auth');
    if (!conn.authed) {
      conn.authed = true;
      this.setState('open');
      this.startHeartbeat(conn);
    } else if (conn.renewing) {
      conn.renewing = false;
      this.emit('renewed', { exp });
    }
    const expiresAt = this.deps.session.toLocal(exp * 1000);
    conn.timer('renew', renewDelay(expiresAt, Date.now(), this.opts.renewBeforeMs), () => void this.renew(conn));
  }

  private async renew(conn: Connection): Promise<void> {
    if (this.conn !== conn) return;
    let token: string | null = null;
    try {
      token = await this.deps.session.fresh('renew', conn.token);
    } catch (e) {
      // Refused for good (revoked): the gateway closes the socket at expiry, and that close decides.
      if (e instanceof ApiError && e.status === 401) return;
    }
    if (this.conn !== conn) return;
    if (token === null || token === conn.token || !conn.send({ type: 'auth', token })) return this.renewLater(conn);
    conn.token = token;
    conn.renewing = true;
    conn.timer('renew', this.opts.authTimeoutMs, () => this.renewLater(conn));
  }

  /** A renewal failed for now: try again in a little while, well before the expiry if there is time. */
  private renewLater(conn: Connection): void {
    conn.renewing = false;
    conn.timer('renew', Math.min(5_000, this.opts.renewBeforeMs / 4), () => void this.renew(conn));
  }

  private onError(conn: Connection, frame: ErrorFrame): void {
    const { ref, payload } = frame;
    if (ref !== undefined) {
      const retryAfter = payload.retry_after_ms === undefined ? null : Math.ceil(payload.retry_after_ms / 1000);
      return this.refs.fail(ref, new ApiError(payload.status ?? 400, payload.code, payload.message, { retryAfter }));
    }
    if (conn.renewing && reauthErrors.has(payload.code)) return this.renewLater(conn);
    // A server that does not serve sends over the socket names the frame type it did not know.
    const unknown = payload.code === 'unknown_type' ? (['send_message', 'mark_read'] as const).find((t) => payload.message.includes(`"${t}"`)) : undefined;
    if (unknown) {
      conn.unsupported.add(unknown);
      return this.refs.loseAll('not served over the socket', unknown);
    }
    this.emit('error', payload, frame);
  }

  private startHeartbeat(conn: Connection): void {
    const { pingIntervalMs, pongTimeoutMs } = this.opts;
    if (pingIntervalMs <= 0) return;
    const tick = () => {
      const quiet = Date.now() - conn.lastFrameAt;
      if (quiet >= pingIntervalMs + pongTimeoutMs) return this.abandon(conn, 'no frame after a ping');
      if (quiet >= pingIntervalMs) conn.send({ type: 'ping' });
      conn.timer('heartbeat', Math.max(50, Math.min(pingIntervalMs, pongTimeoutMs) / 2), tick);
    };
    conn.timer('heartbeat', pingIntervalMs, tick);
  }

  /** Gives up on a connection the client no longer trusts (gap, dead link, no auth_ok) and reconnects. */
  private abandon(conn: Connection, why: string): void {
    if (this.conn !== conn) return;
    conn.dispose(CLIENT_RECONNECT, why.slice(0, 100));
    this.onClose(conn, CLIENT_RECONNECT, why);
  }

  private onClose(conn: Connection, code: number, reason: string): void {
    if (this.conn !== conn) return;
    this.conn = null;
    conn.dispose();
    this.refs.loseAll('the socket closed');
    if (this.current === 'closed') return;
    if (conn.authed && Date.now() - conn.openedAt >= STABLE_MS) this.attempt = 0;
    const next = closeAction(code);
    if (next.action === 'stop') return this.stop(next.cause, code, reason);
    if (next.action === 'new-token') return this.onRefused(conn.token, code, reason);
    this.retryLater();
  }

  /** The server refused `token` (4401, 4501, a 401): reconnect with a new one, or stop when none can be had. */
  private onRefused(token: string | null, code = 0, reason = 'token refused'): void {
    this.setState('reconnecting');
    this.deps.session.fresh('rejected', token).then(
      (fresh) => {
        if (this.current === 'closed') return;
        this.nextToken = fresh;
        this.retryLater();
      },
      () => this.stop('unauthorized', code, reason),
    );
  }

  private retryLater(): void {
    if (this.current === 'closed') return;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(this.attempt++, this.backoff));
  }

  private stop(cause: StopCause, code: number, reason: string): void {
    if (this.current === 'closed') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const conn = this.conn;
    this.conn = null;
    conn?.dispose(1000, 'closed');
    this.refs.loseAll('the socket closed');
    this.closedInfo = { cause, code, reason };
    this.setState('closed');
    this.emit('closed', this.closedInfo);
  }
}
