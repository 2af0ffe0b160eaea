import { notFound } from '@chatroulette/errors';
import type { AuthContext } from '../context.js';
import { profile } from '../domain/views.js';
import { findProfile } from '../db/queries/users.js';

/** Another user's profile: the same fields as one's own (nothing in it is private). */
export async function publicProfile(ctx: AuthContext, userId: string) {
  const row = await findProfile(ctx.db, userId);
  if (!row) throw notFound('User not found');
  return profile(row);
}
