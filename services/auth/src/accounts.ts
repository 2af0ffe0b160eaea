import { isUniqueViolation } from '@chatroulette/db';
import { notFound } from '@chatroulette/errors';
import { signToken } from '@chatroulette/tokens';
import type { AuthContext } from './context.js';
import { hashPassword, needsRehash, verifyPassword } from './domain/password.js';
import type { ProfileUpdate } from './domain/profile.js';
import { badCredentials, usernameKey, usernameTaken, userGone, type RegisterBody } from './domain/user.js';
import { profile, publicUser } from './domain/views.js';
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

export async function login(ctx: AuthContext, body: { username: string; password: string }) {
  const found = await users.findCredentials(ctx.db, usernameKey(body.username));
  // An unknown user costs one hash verification too, and gets the same answer as a wrong password.
  const ok = await verifyPassword(body.password, found?.password_hash ?? ctx.dummyHash);
  if (!found || !ok) throw badCredentials();
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

function issueToken(ctx: AuthContext, user: { id: string; username: string }): string {
  return signToken(ctx.key, { sub: user.id, username: user.username }, ctx.cfg.tokenTtlSeconds);
}
