import { notFound } from '@chatroulette/errors';
import type { AuthContext } from '../context.js';
import { publicProfileView } from '../domain/views.js';
import { findProfile } from '../db/queries/users.js';

/** Another user's profile, without what its owner hides. */
export async function publicProfile(ctx: AuthContext, userId: string) {
  const row = await findProfile(ctx.db, userId);
  if (!row) throw notFound('User not found');
  return publicProfileView(row);
}
