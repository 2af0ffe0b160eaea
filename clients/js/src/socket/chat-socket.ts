import type { AckFrame, ErrorFrame, MessageObject, ReadState, RecoveryFrame, RtcSignalKind, SendMessageInput, ServerFrame } from '@chatroulette/contracts';
import { Emitter } from '../emitter.js';
import { ApiError } from '../errors.js';
import type { Session } from '../session.js';
import { backoffDelay } from './backoff.js';
import { closeAction, type StopCause } from './close-policy.js';
import { Connection } from './connection.js';
import { DeliveryOrder, type Verdict } from './delivery-order.js';
import type { Closed, SocketEvents, SocketState } from './events.js';
import { keepAlive } from './heartbeat.js';
import { socketSettings, type SocketOptions, type SocketSettings } from './options.js';
import { PendingRefs } from './refs.js';
import { Sender, type RestSends } from './sender.js';
import { socketUrl } from './socket-url.js';
import { TokenRenewal } from './token-renewal.js';
import { readFrame, webSocketClass, type WebSocketClass } from './websocket.js';

export type { SocketOptions } from './options.js';

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
  private readonly order: DeliveryOrder;
  private readonly refs = new PendingRefs();
  private readonly sender: Sender;
  private readonly renewal: TokenRenewal;
  private readonly opts: SocketSettings;

  constructor(
    private readonly deps: SocketDeps,
    options: SocketOptions = {},
  ) {
    super();
    this.chatId = options.chatId?.toLowerCase() ?? null;
    this.order = new DeliveryOrder(this.chatId, options.since ?? null);
    this.opts = socketSettings(options);
    this.renewal = new TokenRenewal(deps.session, this.opts);
    this.sender = new Sender({
      chatId: this.chatId,
      rest: deps.rest,
      refs: this.refs,
      connection: () => (this.opts.sends === 'auto' ? this.conn : null),
      backoff: this.opts.backoff,
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
    return this.order.lastSeq;
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
    if (this.isClosed()) return;
    let token: string | null = null;
    try {
      token = await this.tokenToConnect();
      if (!token) return this.stop('unauthorized', 0, 'no token');
      if (this.chatId && this.order.lastSeq === null) this.order.lastSeq = await this.deps.rest.lastSeq(this.chatId);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return this.onRefused(token);
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return this.stop('forbidden', 0, e.message);
      return this.retryLater();
    }
    const WebSocket = await webSocketClass(this.deps.WebSocket);
    if (this.isClosed()) return;
    const conn = new Connection(new WebSocket(socketUrl(this.deps.baseUrl, this.chatId, this.lastSeq)), token);
    this.conn = conn;
    // Covers the opening too: a connection that hangs (a dead route) is given up like a refused one.
    conn.timer('auth', this.opts.authTimeoutMs, () => this.abandon(conn, 'no auth_ok in time'));
    const { ws } = conn;
    ws.onopen = () => conn.send({ type: 'auth', token: conn.token });
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
    const frame = readFrame<ServerFrame>(data);
    if (!frame) return;
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
        return this.pass(conn, this.order.match(frame.payload.chat_id), frame);
    }
    if ('seq' in frame && typeof frame.seq === 'number') return this.pass(conn, this.order.chatEvent(frame.chat_id, frame.seq), frame);
    this.deliver(frame);
  }

  private pass(conn: Connection, verdict: Verdict, frame: ServerFrame): void {
    if (verdict === 'deliver') return this.deliver(frame);
    // A gap: reconnect with since = the last seq delivered, and the gateway replays the rest.
    if (verdict === 'resync') this.abandon(conn, `gap after seq ${this.order.lastSeq}`);
  }

  private deliver(frame: ServerFrame): void {
    this.emit('frame', frame);
    (this.emit as (type: string, payload: unknown, frame: ServerFrame) => void)(frame.type, 'payload' in frame ? frame.payload : undefined, frame);
  }

  private onRecovery(conn: Connection, frame: RecoveryFrame): void {
    const outcome = this.order.recovery(frame);
    const info = { chatId: frame.chat_id, seq: frame.payload.seq };
    if (outcome === 'reset') this.emit('reset', info);
    else if (outcome === 'recovered') this.emit('recovered', info);
    else if (outcome === 'resync') this.abandon(conn, `recovered up to ${info.seq} but ${this.order.lastSeq} delivered`);
  }

  private onAuthOk(conn: Connection, exp: number): void {
    conn.clear('auth');
    if (this.renewal.admitted(conn, exp)) return this.emit('renewed', { exp });
    if (conn.authed) return;
    conn.authed = true;
    this.setState('open');
    keepAlive(conn, this.opts, () => this.abandon(conn, 'no frame after a ping'));
  }

  private onError(conn: Connection, frame: ErrorFrame): void {
    const { ref, payload } = frame;
    if (ref !== undefined) {
      const retryAfter = payload.retry_after_ms === undefined ? null : Math.ceil(payload.retry_after_ms / 1000);
      return this.refs.fail(ref, new ApiError(payload.status ?? 400, payload.code, payload.message, { retryAfter }));
    }
    if (this.renewal.refused(conn, payload.code)) return;
    // A server that does not serve sends over the socket names the frame type it did not know.
    const unknown = payload.code === 'unknown_type' ? (['send_message', 'mark_read'] as const).find((t) => payload.message.includes(`"${t}"`)) : undefined;
    if (unknown) {
      conn.unsupported.add(unknown);
      return this.refs.loseAll('not served over the socket', unknown);
    }
    this.emit('error', payload, frame);
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
      // The session holds the new token now: the next connection uses it.
      () => this.retryLater(),
      () => this.stop('unauthorized', code, reason),
    );
  }

  private retryLater(): void {
    if (this.isClosed()) return;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(this.attempt++, this.opts.backoff));
  }

  private stop(cause: StopCause, code: number, reason: string): void {
    if (this.isClosed()) return;
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
