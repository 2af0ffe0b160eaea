import { authUsersGet, type PublicUser, type Subjects } from '@chatroulette/contracts';
import { request, type NatsConnection } from '@chatroulette/nats';

/** The most ids one auth.users.get takes (its contract). */
const PER_REQUEST = 1000;

/** Public profiles (with presence) of users, from the auth service; unknown ids are absent. */
export async function fetchUsers(nc: NatsConnection, subjects: Subjects, ids: string[]): Promise<Map<string, PublicUser>> {
  const unique = [...new Set(ids)];
  const chunks = Array.from({ length: Math.ceil(unique.length / PER_REQUEST) }, (_, i) => unique.slice(i * PER_REQUEST, (i + 1) * PER_REQUEST));
  const replies = await Promise.all(chunks.map((userIds) => request(nc, subjects.authUsersGet, authUsersGet, { user_ids: userIds })));
  return new Map(replies.flatMap((r) => r.users.map((u) => [u.id, u] as const)));
}
