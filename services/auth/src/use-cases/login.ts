import type { LoggedIn } from '@chatroulette/contracts';
import type { AuthContext } from '../context.js';
import { hashPassword, needsRehash, verifyPassword } from '../domain/password.js';
import { badCredentials, usernameKey } from '../domain/user.js';
import { publicUser } from '../domain/views.js';
import { addressLockKey, usernameLockKey } from '../domain/lockout.js';
import * as failures from '../db/queries/login-failures.js';
import * as users from '../db/queries/users.js';
import { addressSlowdown, countAddressFailure, reserveUsernameAttempt } from './login-guards.js';
import { issueToken } from './issue-token.js';

/**
 * Checks a password. Before any hash: the login budgets (per address and global, 429), a slot in the
 * hash queue (503), and a reserved attempt of the username (429 while it is locked; one statement,
 * so a burst of guesses gets at most the free failures checked). A failed address is slowed down,
 * never refused: a correct password from behind a shared address still gets in. Success clears the
 * username's count; an address's count ends with its window. `legacy`: POST /api/v1/login's token.
 */
export async function login(ctx: AuthContext, body: { username: string; password: string }, addressBucket: string, legacy = false): Promise<LoggedIn> {
  await ctx.budgets.login(addressBucket);
  // PostgreSQL text cannot hold NUL: no stored name has one, and the lock key gets it escaped.
  const storable = !body.username.includes('\u0000');
  const userKey = usernameLockKey(usernameKey(body.username).replaceAll('\u0000', '\\0'));
  const addrKey = addressLockKey(addressBucket);
  await addressSlowdown(ctx, addrKey);
  const { found, ok } = await ctx.hashes.run('login', async () => {
    await reserveUsernameAttempt(ctx, userKey);
    const found = storable ? await users.findCredentials(ctx.db, usernameKey(body.username)) : undefined;
    // An unknown user costs one hash verification too, and gets the same answer as a wrong password.
    const ok = await verifyPassword(body.password, found?.password_hash ?? ctx.dummyHash);
    return { found, ok };
  });
  if (!found || !ok) {
    await countAddressFailure(ctx, addrKey);
    throw badCredentials();
  }
  await failures.clearFailures(ctx.db, userKey);
  if (needsRehash(found.password_hash, ctx.cfg.passwordHashCost) && ctx.hashes.pending < ctx.cfg.maxPendingHashes) {
    const fresh = await ctx.hashes.run('rehash', () => hashPassword(body.password, ctx.cfg.passwordHashCost));
    await users.updatePasswordHash(ctx.db, found.id, found.password_hash, fresh);
  }
  return { user: publicUser(found), token: issueToken(ctx, found, legacy).token };
}
