import { serverFrames } from '@chatroulette/contracts';
import { isAppError } from '@chatroulette/errors';
import type { TokenVerifier } from '@chatroulette/tokens';
import type { Hub } from '../hub/hub.js';
import { holdToken, isClosed, sendFrame, type Socket } from './socket-data.js';

/**
 * An auth frame on an open socket: a fresh token for the same user moves the socket's expiry
 * (auth_ok); another user's token or a bad one gets an error frame and the socket stays as it was.
 */
export async function reauth(ws: Socket, token: string, deps: { verify: TokenVerifier; hub: Hub }): Promise<void> {
  const data = ws.getUserData();
  try {
    const user = await deps.verify(token);
    if (isClosed(ws)) return;
    if (user.userId !== data.userId) {
      return sendFrame(ws, serverFrames.error('auth_user_mismatch', 'The token is for another user'));
    }
    // The socket lives on whichever token lasts longer (and a revocation of that one closes it).
    if (user.exp >= data.exp) holdToken(data, user);
    deps.hub.renewed(ws);
    sendFrame(ws, serverFrames.authOk(data.exp));
  } catch (e) {
    const message = isAppError(e) ? e.message : 'Token check failed';
    const code = isAppError(e) && e.status === 401 ? 'invalid_token' : 'auth_unavailable';
    sendFrame(ws, serverFrames.error(code, message));
  }
}
