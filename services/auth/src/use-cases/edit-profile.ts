import type { AuthContext } from '../context.js';
import type { LegacyProfileUpdate } from '@chatroulette/contracts';
import { userGone } from '../domain/user.js';
import { updateProfile } from '../db/queries/users.js';

/** Edits the caller's profile (our fields, or the original's superset of them); answers the stored row. */
export async function editProfile(ctx: AuthContext, userId: string, fields: LegacyProfileUpdate) {
  const row = await updateProfile(ctx.db, userId, fields);
  if (!row) throw userGone();
  return row;
}
