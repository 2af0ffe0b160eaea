import type { TokenAnswer } from '@chatroulette/contracts';
import { paths } from './contract.js';
import { createHttp, type FetchLike } from './http.js';
import { authApi, usersApi } from './rest/auth.js';
import { chatsApi } from './rest/chats.js';
import { mediaApi } from './rest/media.js';
import { messagesApi } from './rest/messages.js';
import { moderationApi } from './rest/moderation.js';
import { rouletteApi } from './rest/roulette.js';
import { rtcApi } from './rest/rtc.js';
import { Session, type TokenProvider } from './session.js';
import { ChatSocket, type SocketOptions } from './socket/chat-socket.js';
import type { WebSocketClass } from './socket/websocket.js';

export interface ClientOptions {
  /** The gateway's origin, e.g. `http://localhost:8080` or `https://chat.example.com` (REST and socket). */
  baseUrl: string;
  /** A token to start with (e.g. kept from an earlier login). Login and register set one too. */
  token?: string | null;
  /**
   * Where new tokens come from (the app's own auth). Without it the client renews with
   * POST /auth/refresh, and when the token is refused it stops with `unauthorized`.
   */
  getToken?: TokenProvider;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Default: the global WebSocket, else the `ws` package (Node 20). */
  WebSocket?: WebSocketClass;
  /** A REST call without an answer within this fails with a ConnectionError. Default 30 s (0: no limit). */
  requestTimeoutMs?: number;
  /** Defaults for every socket of this client. */
  socket?: Omit<SocketOptions, 'chatId' | 'since'>;
}

/** The typed client: the contract's REST routes by area, its token, and sockets that stay connected. */
export function createClient(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const session: Session = new Session({
    token: options.token ?? null,
    getToken: options.getToken,
    refresh: (token) => http<TokenAnswer>('POST', `${paths.auth}/refresh`, { token }),
  });
  const http = createHttp({ baseUrl, fetch: fetchImpl, token: () => session.current(), timeoutMs: options.requestTimeoutMs ?? 30_000 });
  const chats = chatsApi(http);
  const messages = messagesApi(http);
  const rest = {
    sendMessage: chats.send,
    markRead: messages.read,
    lastSeq: async (chatId: string) => (await chats.get(chatId)).last_seq,
  };

  return {
    auth: authApi(http, session),
    users: usersApi(http),
    chats,
    messages,
    roulette: rouletteApi(http),
    media: mediaApi(http, baseUrl),
    rtc: rtcApi(http),
    moderation: moderationApi(http),
    /** The current token (null before login and after logout). */
    get token(): string | null {
      return session.token;
    },
    setToken: (token: string | null) => session.set(token),
    /** Called with each new token (login, refresh, a socket's renewal) and with null after logout. */
    onToken: (listener: (token: string | null) => void) => session.onToken(listener),
    /**
     * A socket that stays connected. With `chatId` it gets that chat's events (and the user's own);
     * without, only the user's own (`chatroulette_match`).
     */
    socket: (opts: SocketOptions = {}) => new ChatSocket({ baseUrl, session, WebSocket: options.WebSocket, rest }, { ...options.socket, ...opts }),
  };
}

export type Client = ReturnType<typeof createClient>;
