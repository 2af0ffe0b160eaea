import type { TokenAnswer } from '@chatroulette/contracts';
import { ApiError } from './errors.js';
import { readClaims, serverSkew } from './jwt.js';

/**
 * Why the client wants a token: `connect` (a socket is opening, or a REST call with no token yet),
 * `renew` (a socket's token is about to expire), `rejected` (the server refused the one it had).
 */
export type TokenReason = 'connect' | 'renew' | 'rejected';

/**
 * The app's source of tokens. Return a token, or null when there is none (the client then stops
 * with `unauthorized` where one is needed). Without a provider the client renews by POST /auth/refresh.
 */
export type TokenProvider = (ctx: { reason: TokenReason; current: string | null }) => string | null | Promise<string | null>;

export interface SessionDeps {
  token: string | null;
  getToken: TokenProvider | undefined;
  refresh: (token: string) => Promise<TokenAnswer>;
}

/** The client's current token, shared by its REST calls and its sockets; one renewal at a time. */
export class Session {
  private value: string | null;
  /** The server's clock minus this machine's (ms), from the latest token: users' clocks are often off by minutes. */
  private skew = 0;
  private renewing: Promise<string> | null = null;
  private readonly listeners = new Set<(token: string | null) => void>();

  constructor(private readonly deps: SessionDeps) {
    this.value = deps.token;
    if (deps.token) this.skew = serverSkew(deps.token, Date.now());
  }

  get token(): string | null {
    return this.value;
  }

  set(token: string | null): void {
    if (token === this.value) return;
    this.value = token;
    if (token) this.skew = serverSkew(token, Date.now());
    for (const l of this.listeners) l(token);
  }

  /** Called with every new token (to keep it, e.g. in localStorage) and with null after a logout. */
  onToken(listener: (token: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When the current token expires (ms, this machine's clock), or null when it does not say. */
  expiresAt(): number | null {
    const exp = this.value === null ? undefined : readClaims(this.value)?.exp;
    return typeof exp === 'number' ? this.toLocal(exp * 1000) : null;
  }

  /** A time of the server's clock (ms) in this machine's. */
  toLocal(serverMs: number): number {
    return serverMs - this.skew;
  }

  /** The token to use now: the current one, else the provider's. */
  async current(): Promise<string | null> {
    if (this.value !== null || !this.deps.getToken) return this.value;
    const token = await this.deps.getToken({ reason: 'connect', current: null });
    if (token) this.set(token);
    return this.value;
  }

  /**
   * A token newer than `stale` (the one the caller holds or had refused): the session's own when
   * another caller got one meanwhile, else the provider's or POST /auth/refresh's. Rejects with an
   * ApiError (401 when no new token can be had).
   */
  async fresh(reason: Exclude<TokenReason, 'connect'>, stale: string | null): Promise<string> {
    if (this.value !== null && this.value !== stale) return this.value;
    this.renewing ??= this.obtain(reason).finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async obtain(reason: Exclude<TokenReason, 'connect'>): Promise<string> {
    const before = this.value;
    const token = this.deps.getToken
      ? await this.deps.getToken({ reason, current: before })
      : before === null
        ? null
        : (await this.deps.refresh(before)).token;
    if (!token || (reason === 'rejected' && token === before)) throw new ApiError(401, 'unauthorized', 'No new token to be had');
    this.set(token);
    return token;
  }
}
