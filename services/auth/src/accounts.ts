import { isUniqueViolation } from '@chatroulette/db';
import { notFound } from '@chatroulette/errors';
import { signToken } from '@chatroulette/tokens';
import type { AuthContext } from './context.js';
import { hashPassword, needsRehash, verifyPassword } from './domain/password.js';
import type { ProfileUpdate } from './domain/profile.js';
import { badCredentials, usernameKey, usernameTaken, userGone, type RegisterBody } from './domain/user.js';
import { profile, publicUser } from './domain/views.js';
import { addressLockKey, lockDelayMs, loginLocked, usernameLockKey } from './domain/lockout.js';
import * as failures from './db/queries/login-failures.js';
import * as users from './db/queries/users.js';

/** Register, login and profiles: the domain's rules applied to the database. */

export async function register(ctx: AuthContext, body: RegisterBody) {
  const passwordHash = await hashPassword(body.password, ctx.cfg.passwordHashCost);
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
    token: issueToken(ctx, user),
  };
}

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

export async function ownProfile(ctx: AuthContext, userId: string) {
  const row = await users.findProfile(ctx.db, userId);
  if (!row) throw userGone();
  return profile(row);
}

export async function editProfile(ctx: AuthContext, userId: string, fields: ProfileUpdate) {
  const row = await users.updateProfile(ctx.db, userId, fields);
  if (!row) throw userGone();
  return profile(row);
}

export async function publicProfile(ctx: AuthContext, userId: string) {
  const row = await users.findProfile(ctx.db, userId);
  if (!row) throw notFound('User not found');
  return profile(row);
}

let failuresSincePrune = 0;

async function countFailure(ctx: AuthContext, key: string, free: number): Promise<void> {
  const { windowS, maxDelayMs } = ctx.lockout;
  const n = await failures.addFailure(ctx.db, key, windowS);
  const delay = lockDelayMs(n, free, maxDelayMs);
  if (delay > 0) {
    await failures.lockFor(ctx.db, key, delay);
    ctx.log.info({ key: key.startsWith('addr:') ? key : 'user', failures: n, delayMs: delay }, 'login locked');
  }
  // Old counts are forgotten now and then, so the table holds only the recent failures.
  if (++failuresSincePrune >= 200) {
    failuresSincePrune = 0;
    await failures.pruneFailures(ctx.db, windowS).catch((err: unknown) => ctx.log.warn({ err }, 'login failure prune failed'));
  }
}

function issueToken(ctx: AuthContext, user: { id: string; username: string }): string {
  return signToken(ctx.key, { sub: user.id, username: user.username }, ctx.cfg.tokenTtlSeconds);
}
