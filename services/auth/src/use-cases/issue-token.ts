import { signToken } from '@chatroulette/tokens';
import type { AuthContext } from '../context.js';

/** The JWT of a registration or login: `sub` and `username`, valid `tokenTtlSeconds`. */
export function issueToken(ctx: AuthContext, user: { id: string; username: string }): string {
  return signToken(ctx.key, { sub: user.id, username: user.username }, ctx.cfg.tokenTtlSeconds);
}
