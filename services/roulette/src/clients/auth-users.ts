import { authUsersGet, type PublicUser, type Subjects } from '@chatroulette/contracts';
import { request, type NatsConnection } from '@chatroulette/nats';

/** Public profiles (with presence) of users, from the auth service; unknown ids are absent. */
export async function fetchUsers(nc: NatsConnection, subjects: Subjects, ids: string[]): Promise<Map<string, PublicUser>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const reply = await request(nc, subjects.authUsersGet, authUsersGet, { user_ids: unique });
  return new Map(reply.users.map((u) => [u.id, u]));
}
