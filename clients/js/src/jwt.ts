/** The claims the client reads from a token (it never checks the signature: the server does). */
export interface TokenClaims {
  sub?: string;
  username?: string;
  /** Seconds. */
  iat?: number;
  exp?: number;
}

/** The payload of a JWT, or null when the token is not one. */
export function readClaims(token: string): TokenClaims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const json = decodeURIComponent(
      Array.from(atob(base64), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims = JSON.parse(json) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

/**
 * How far the server's clock is ahead of this machine's (ms), judged from a token just received: its
 * `iat` is the server's time of issue. 0 when it has none. A second is taken off, as `iat` counts
 * whole seconds (the issue may be up to a second later): expiries computed with it come early, not late.
 */
export function serverSkew(token: string, receivedAt: number): number {
  const claims = readClaims(token);
  return typeof claims?.iat === 'number' ? claims.iat * 1000 - receivedAt - 1000 : 0;
}
