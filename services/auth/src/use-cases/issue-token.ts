import type { FreshToken } from '@chatroulette/contracts';
import { signToken } from '@chatroulette/tokens';
import type { AuthContext } from '../context.js';

/**
 * A JWT for the user (`sub`, `username`, valid `tokenTtlSeconds`; `legacy` when issued by the
 * original product's routes, or renewed from such a token) and its expiry. Its iat is never before
 * the user's `tokens_valid_from`: a token issued in the very second of a password change is not
 * refused with the ones before it.
 */
export function issueToken(ctx: AuthContext, user: { id: string; username: string; tokens_valid_from?: number }, legacy = false): FreshToken {
  const iat = Math.max(Math.floor(Date.now() / 1000), user.tokens_valid_from ?? 0);
  const token = signToken(ctx.key, { sub: user.id, username: user.username, legacy }, ctx.cfg.tokenTtlSeconds, { iat });
  return { token, expires_at: new Date((iat + ctx.cfg.tokenTtlSeconds) * 1000).toISOString() };
}
