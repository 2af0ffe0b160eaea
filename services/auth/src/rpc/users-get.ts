import type { NatsConnection, Subscription } from 'nats';
import { authUsersGet, queueGroups, type Subjects } from '@chatroulette/contracts';
import { mapDatabaseError } from '@chatroulette/db';
import { serve } from '@chatroulette/nats';
import type { AuthContext } from '../context.js';
import { findPublicUsers } from '../db/queries/users.js';
import { publicUser } from '../domain/views.js';

/** auth.users.get {user_ids} -> {users: [{id, username, is_online, last_seen}]} for those that exist. */
export function serveUsersGet(ctx: AuthContext, nc: NatsConnection, subjects: Subjects): Subscription {
  return serve(
    nc,
    subjects.authUsersGet,
    queueGroups.auth,
    authUsersGet,
    async ({ user_ids }) => {
      try {
        return { users: (await findPublicUsers(ctx.db, user_ids)).map(publicUser) };
      } catch (e) {
        throw mapDatabaseError(e);
      }
    },
    ctx.log,
  );
}
