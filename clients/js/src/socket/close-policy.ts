import { closeCodes } from '../contract.js';

/** Why a socket stopped for good. */
export type StopCause =
  /** close() was called. */
  | 'closed'
  /** No token the server accepts could be had (revoked, expired, refused): log in again. */
  | 'unauthorized'
  /** Not a participant of the chat, or no such chat. */
  | 'forbidden'
  /** The server said not to reconnect (another close code of 4500-4999). */
  | 'refused';

export type CloseAction = { action: 'reconnect' } | { action: 'new-token' } | { action: 'stop'; cause: StopCause };

/**
 * What a close code asks of the client (libs/contracts closeCodes, centrifuge's ranges: 4000-4499
 * reconnect, 4500-4999 do not). 4401 (the token expired or was revoked) and 4501 (the token was
 * refused) reconnect only with another token; 1001 (the gateway stops), 1006 (the link broke), 1013
 * (try again later), 4001 (slow consumer), 4408 (auth too late) reconnect after a backoff.
 */
export function closeAction(code: number): CloseAction {
  if (code === closeCodes.tokenExpired || code === closeCodes.authFailed) return { action: 'new-token' };
  if (code === closeCodes.notMember) return { action: 'stop', cause: 'forbidden' };
  if (code >= 4500 && code <= 4999) return { action: 'stop', cause: 'refused' };
  return { action: 'reconnect' };
}
