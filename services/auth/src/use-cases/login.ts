import type { AuthContext } from '../context.js';
import { hashPassword, needsRehash, verifyPassword } from '../domain/password.js';
import { badCredentials, usernameKey } from '../domain/user.js';
import { publicUser } from '../domain/views.js';
import { addressLockKey, lockDelayMs, loginLocked, usernameLockKey } from '../domain/lockout.js';
import * as failures from '../db/queries/login-failures.js';
import * as users from '../db/queries/users.js';
import { issueToken } from './issue-token.js';

/**
 * Checks a password. Failures are counted per username (known or not, so the answer tells nothing)
 * and per client address in the database, so every auth instance sees them: past the free failures
 * the next attempt waits 1 s, 2 s, 4 s ... (429 with Retry-After meanwhile). Success clears the
 * username's count; an address's count ends with its window.
 */
export async function login(ctx: AuthContext, body: { username: string; password: string }, address: string) {
  // PostgreSQL text cannot hold NUL: no stored name has one, and the lock key gets it escaped.
  const storable = !body.username.includes('\u0000');
  const userKey = usernameLockKey(usernameKey(body.username).replaceAll('\u0000', '\\0'));
  const addrKey = addressLockKey(address);
  const waitMs = await failures.lockedForMs(ctx.db, [userKey, addrKey]);
  if (waitMs > 0) throw loginLocked(waitMs);
  const found = storable ? await users.findCredentials(ctx.db, usernameKey(body.username)) : undefined;
  // An unknown user costs one hash verification too, and gets the same answer as a wrong password.
  const ok = await verifyPassword(body.password, found?.password_hash ?? ctx.dummyHash);
  if (!found || !ok) {
    await countFailure(ctx, userKey, ctx.lockout.freeFailures);
    await countFailure(ctx, addrKey, ctx.lockout.freeFailuresPerAddress);
    throw badCredentials();
  }
  await failures.clearFailures(ctx.db, userKey);
  if (needsRehash(found.password_hash, ctx.cfg.passwordHashCost)) {
    const fresh = await hashPassword(body.password, ctx.cfg.passwordHashCost);
    await users.updatePasswordHash(ctx.db, found.id, found.password_hash, fresh);
  }
  return { user: publicUser(found), token: issueToken(ctx, found) };
}

async function countFailure(ctx: AuthContext, key: string, free: number): Promise<void> {
  const n = await failures.addFailure(ctx.db, key, ctx.lockout.windowS);
  const delay = lockDelayMs(n, free, ctx.lockout.maxDelayMs);
  if (delay > 0) {
    await failures.lockFor(ctx.db, key, delay);
    ctx.log.info({ key: key.startsWith('addr:') ? key : 'user', failures: n, delayMs: delay }, 'login locked');
  }
}
