import { isUniqueViolation } from '@chatroulette/db';
import type { AuthContext } from '../context.js';
import { hashPassword } from '../domain/password.js';
import type { RegisterBody, Registered } from '@chatroulette/contracts';
import { usernameKey, usernameTaken } from '../domain/user.js';
import * as users from '../db/queries/users.js';
import { issueToken } from './issue-token.js';

/** A new user; the budgets (429) and a hash slot (503) come before the hash. `legacy`: POST /api/v1/register's token. */
export async function register(ctx: AuthContext, body: RegisterBody, addressBucket: string, legacy = false): Promise<Registered> {
  await ctx.budgets.register(addressBucket);
  const passwordHash = await ctx.hashes.run('register', () => hashPassword(body.password, ctx.cfg.passwordHashCost));
  let user;
  try {
    user = await users.insertUser(ctx.db, {
      username: body.username,
      usernameKey: usernameKey(body.username),
      passwordHash,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw usernameTaken();
    throw e;
  }
  ctx.log.info({ userId: user.id }, 'user registered');
  return {
    user: { id: user.id, username: user.username, created_at: user.created_at.toISOString() },
    token: issueToken(ctx, user, legacy).token,
  };
}
