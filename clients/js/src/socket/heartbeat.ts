import type { Connection } from './connection.js';

/**
 * A ping when the connection has been quiet for `pingIntervalMs`; quiet for `pongTimeoutMs` more
 * (any frame counts as an answer) and it is dead: a link broken without a close (a laptop waking up,
 * a network switch) would otherwise look open until TCP gives up, minutes later.
 */
export function keepAlive(conn: Connection, opts: { pingIntervalMs: number; pongTimeoutMs: number }, dead: () => void): void {
  const { pingIntervalMs, pongTimeoutMs } = opts;
  if (pingIntervalMs <= 0) return;
  const tick = () => {
    const quiet = Date.now() - conn.lastFrameAt;
    if (quiet >= pingIntervalMs + pongTimeoutMs) return dead();
    if (quiet >= pingIntervalMs) conn.send({ type: 'ping' });
    conn.timer('heartbeat', Math.max(50, Math.min(pingIntervalMs, pongTimeoutMs) / 2), tick);
  };
  conn.timer('heartbeat', pingIntervalMs, tick);
}
