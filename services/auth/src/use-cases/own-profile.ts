import type { AuthContext } from '../context.js';
import { userGone } from '../domain/user.js';
import { findProfile } from '../db/queries/users.js';

/** The caller's own profile row (the routes pick its view); a token of a deleted user is 401. */
export async function ownProfile(ctx: AuthContext, userId: string) {
  const row = await findProfile(ctx.db, userId);
  if (!row) throw userGone();
  return row;
}
