import { ApiError } from '../errors.js';
import type { Session } from '../session.js';
import type { Connection } from './connection.js';
import { renewDelay } from './renewal.js';

/** Error codes of a refused auth frame on an open socket (services/gateway/src/socket/reauth.ts). */
const reauthErrors = new Set(['invalid_token', 'auth_user_mismatch', 'auth_unavailable']);

/**
 * Keeps a connection's token alive: before the expiry auth_ok announced, a fresh token from the
 * session (the app's provider, or POST /auth/refresh) goes in an auth frame, and its auth_ok moves
 * the expiry. A failed attempt is tried again a little later, while there is time.
 */
export class TokenRenewal {
  constructor(
    private readonly session: Session,
    private readonly opts: { renewBeforeMs: number; authTimeoutMs: number },
  ) {}

  /** auth_ok came: the connection lives until `exp` (seconds, the server's clock). True when it answered a renewal. */
  admitted(conn: Connection, exp: number): boolean {
    const renewed = conn.renewing;
    conn.renewing = false;
    const delay = renewDelay(this.session.toLocal(exp * 1000), Date.now(), this.opts.renewBeforeMs);
    conn.timer('renew', delay, () => void this.renew(conn));
    return renewed;
  }

  /** An error frame without a ref: true when it refused the renewal's auth frame (tried again later). */
  refused(conn: Connection, code: string): boolean {
    if (!conn.renewing || !reauthErrors.has(code)) return false;
    this.later(conn);
    return true;
  }

  private async renew(conn: Connection): Promise<void> {
    let token: string | null = null;
    try {
      token = await this.session.fresh('renew', conn.token);
    } catch (e) {
      // Refused for good (revoked): the gateway closes the socket at the expiry, and that close decides.
      if (e instanceof ApiError && e.status === 401) return;
    }
    if (conn.disposed) return;
    if (token === null || token === conn.token || !conn.send({ type: 'auth', token })) return this.later(conn);
    conn.token = token;
    conn.renewing = true;
    conn.timer('renew', this.opts.authTimeoutMs, () => this.later(conn));
  }

  private later(conn: Connection): void {
    conn.renewing = false;
    conn.timer('renew', Math.min(5_000, this.opts.renewBeforeMs / 4), () => void this.renew(conn));
  }
}
