import type { AuthContext } from '../context.js';
import { findPublicUsers } from '../db/queries/users.js';
import { publicUser } from '../domain/views.js';

/** auth.users.get {user_ids} -> {users: [{id, username, is_online, last_seen}]} for those that exist. */
export const usersGet =
  (ctx: AuthContext) =>
  async ({ user_ids }: { user_ids: string[] }) => ({ users: (await findPublicUsers(ctx.db, user_ids)).map(publicUser) });
