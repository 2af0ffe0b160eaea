import { closeCodes } from '@chatroulette/contracts';
import type { Logger } from '@chatroulette/logger';
import type { Revocation, RevocationList } from '@chatroulette/tokens';
import type { Hub } from '../hub/hub.js';
import { userTopic } from '../hub/topics.js';
import { closeSocket, type Socket } from './socket-data.js';

/**
 * Closes, with 4401 (get a new token, then reconnect), every socket here whose token a revocation
 * refuses, as the revocation list learns it (a logout, a password change, a retired key: known to
 * every gateway through the revocation bucket's watch, within milliseconds). New sockets with such a
 * token are refused at their upgrade by the revocable verifier. Returns the stop.
 */
export function closeRevokedSockets(revocations: RevocationList, hub: Hub, log: Logger): () => void {
  return revocations.onRevoked((r) => {
    const closed = [...candidates(hub, r)].filter((ws) => revocations.isRevoked(tokenOf(ws)));
    for (const ws of closed) closeSocket(ws, closeCodes.tokenExpired, 'token revoked');
    if (closed.length > 0) log.info({ kind: r.kind, sockets: closed.length }, 'sockets of a revoked token closed');
  });
}

/** The sockets a revocation may concern: the user's (on their topic), or all for a retired key. */
function candidates(hub: Hub, r: Revocation): Iterable<Socket> {
  if (r.kind === 'key') return [...hub.sockets].filter((ws) => ws.getUserData().state === 'open');
  return hub.onTopic(userTopic(r.userId)) ?? [];
}

function tokenOf(ws: Socket) {
  const d = ws.getUserData();
  return { userId: d.userId ?? '', jti: d.jti, iat: d.iat, kid: d.kid };
}
