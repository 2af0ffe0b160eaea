import { isUuid } from '@chatroulette/contracts';

export interface SocketQuery {
  token: string | null;
  /** The subprotocol to echo back in the 101 answer ('' for none); never the bearer one. */
  protocol: string;
  chatId: string | null;
  since: number | null;
  /**
   * The client asked to send its token in the first frame (subprotocol `auth.first-frame` or
   * `?auth=frame`): without a token the upgrade is then accepted and the socket waits for it.
   */
  firstFrame: boolean;
}

/** The subprotocol asking for first-frame auth (echoed when it is the only one offered). */
const FIRST_FRAME_PROTOCOL = 'auth.first-frame';

/** Subprotocol values carrying the token: `bearer.<jwt>` (browsers cannot set an Authorization header). */
const BEARER_PROTOCOL = /^bearer\.(.+)$/i;

/**
 * Reads the upgrade's query and Sec-WebSocket-Protocol. The token comes from `?token=`, or else from a
 * subprotocol `bearer.<jwt>`; the protocol echoed back is the first other offered one (e.g. `chatroulette`).
 * The bearer one is never echoed: the token would travel back in a response header, where proxies and
 * tools log it. A browser fails a handshake whose answer names none of its offers, so an offer of the
 * bearer protocol alone is refused (400) with what to offer instead, before any socket is opened.
 */
export function parseSocketQuery(rawQuery: string, protocolHeader: string): { ok: true; value: SocketQuery } | { ok: false; error: string; token: string | null; firstFrame: boolean } {
  const params = new URLSearchParams(rawQuery);
  const offered = protocolHeader
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bearer = offered.find((p) => BEARER_PROTOCOL.test(p));
  const firstFrameOffer = offered.find((p) => p.toLowerCase() === FIRST_FRAME_PROTOCOL);
  const other = offered.find((p) => !BEARER_PROTOCOL.test(p) && p !== firstFrameOffer);
  const queryToken = params.get('token');
  const token = queryToken ? queryToken : bearer ? BEARER_PROTOCOL.exec(bearer)![1]! : null;
  const protocol = other ?? firstFrameOffer ?? '';
  const firstFrame = firstFrameOffer !== undefined || params.get('auth') === 'frame';
  if (bearer && protocol === '') {
    return { ok: false, error: 'Offer a protocol name beside bearer.<token> (e.g. "chatroulette"): the token is not echoed back', token, firstFrame };
  }

  const rawChat = params.get('chat_id');
  let chatId: string | null = null;
  if (rawChat !== null && rawChat !== '') {
    if (!isUuid(rawChat)) return { ok: false, error: 'chat_id must be a UUID', token, firstFrame };
    chatId = rawChat.toLowerCase();
  }

  const rawSince = params.get('since');
  let since: number | null = null;
  if (rawSince !== null && rawSince !== '') {
    if (!/^\d{1,15}$/.test(rawSince)) return { ok: false, error: 'since must be a non-negative integer', token, firstFrame };
    since = Number(rawSince);
  }
  return { ok: true, value: { token, protocol, chatId, since, firstFrame } };
}
