import type { NatsConnection } from 'nats';
import { authUsersGet, type Subjects } from '@chatroulette/contracts';
import { request } from '@chatroulette/nats';

/**
 * Usernames from the auth service (`auth.users.get`), cached in-process for `ttlMs`.
 * `lookup` returns only the users that exist; a missing id is an unknown user.
 */
export function createUserDirectory(nc: NatsConnection, subjects: Subjects, ttlMs: number) {
  const now = () => Date.now();
  const cache = new Map<string, { username: string; until: number }>();

  async function lookup(userIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    const t = now();
    for (const id of new Set(userIds)) {
      const hit = cache.get(id);
      if (hit && hit.until > t) found.set(id, hit.username);
      else missing.push(id);
    }
    for (let i = 0; i < missing.length; i += 1000) {
      const reply = await request(nc, subjects.authUsersGet, authUsersGet, { user_ids: missing.slice(i, i + 1000) }, 3000);
      for (const u of reply.users) {
        cache.set(u.id, { username: u.username, until: now() + ttlMs });
        found.set(u.id, u.username);
      }
    }
    if (cache.size > 50_000) cache.clear();
    return found;
  }

  /** Usernames for display: fresh from auth when it answers, else the stored ones. */
  async function usernames(userIds: string[], stored: Map<string, string>): Promise<Map<string, string>> {
    try {
      const found = await lookup(userIds);
      for (const [id, name] of stored) if (!found.has(id)) found.set(id, name);
      return found;
    } catch {
      return stored;
    }
  }

  return { lookup, usernames };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
