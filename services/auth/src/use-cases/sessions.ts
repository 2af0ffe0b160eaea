import type { VerifiedToken } from '@chatroulette/tokens';
import type { AuthContext } from '../context.js';
import { usernameLockKey } from '../domain/lockout.js';
import { hashPassword, verifyPassword } from '../domain/password.js';
import { userGone, usernameKey, wrongPassword } from '../domain/user.js';
import * as failures from '../db/queries/login-failures.js';
import * as users from '../db/queries/users.js';
import { reserveUsernameAttempt } from './login-guards.js';
import { issueToken } from './issue-token.js';

/** POST /auth/refresh: a fresh token for the caller of a valid (not revoked) token. */
export async function refresh(ctx: AuthContext, caller: VerifiedToken) {
  const user = await users.findCredentialsById(ctx.db, caller.userId);
  if (!user) throw userGone();
  // A renewed legacy token stays one: its client still expects the original's shapes.
  return issueToken(ctx, user, caller.legacy);
}

/** POST /auth/logout: this token is refused everywhere from now on (until it would have expired anyway). */
export async function logout(ctx: AuthContext, caller: VerifiedToken): Promise<void> {
  await ctx.revocations.revokeToken(caller.jti, { user_id: caller.userId, exp: caller.exp });
  ctx.log.info({ userId: caller.userId }, 'logged out');
}

/**
 * PUT /auth/password: with the right current password (checked like a login: a reserved attempt of
 * the username, a hash slot), the new one replaces it and every token issued before is revoked: the
 * database's tokens_valid_from first (what new tokens are issued from), then the revocation bucket
 * (what verifiers refuse). Answers a token issued from that second, so the caller stays signed in.
 */
export async function changePassword(ctx: AuthContext, caller: VerifiedToken, body: { current_password: string; new_password: string }) {
  const user = await users.findCredentialsById(ctx.db, caller.userId);
  if (!user) throw userGone();
  const userKey = usernameLockKey(usernameKey(user.username));
  const ok = await ctx.hashes.run('password check', async () => {
    await reserveUsernameAttempt(ctx, userKey);
    return verifyPassword(body.current_password, user.password_hash);
  });
  if (!ok) throw wrongPassword();
  await failures.clearFailures(ctx.db, userKey);
  const fresh = await ctx.hashes.run('password change', () => hashPassword(body.new_password, ctx.cfg.passwordHashCost));
  // Every token issued so far has an iat of this second or earlier.
  const validFrom = Math.floor(Date.now() / 1000) + 1;
  if (!(await users.changePassword(ctx.db, user.id, user.password_hash, fresh, validFrom))) throw wrongPassword();
  await ctx.revocations.revokeUserTokens(user.id, { valid_from: validFrom });
  ctx.log.info({ userId: user.id }, 'password changed; earlier tokens revoked');
  return issueToken(ctx, { ...user, tokens_valid_from: validFrom }, caller.legacy);
}
