import type { AuthContext } from '../context.js';
import type { ProfileUpdate } from '../domain/profile.js';
import { userGone } from '../domain/user.js';
import { profile } from '../domain/views.js';
import { updateProfile } from '../db/queries/users.js';

export async function editProfile(ctx: AuthContext, userId: string, fields: ProfileUpdate) {
  const row = await updateProfile(ctx.db, userId, fields);
  if (!row) throw userGone();
  return profile(row);
}
