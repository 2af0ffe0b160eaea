import { toIso, type PublicUser, type UserPresenceEvent } from '@chatroulette/contracts';

interface UserFields {
  id: string;
  username: string;
  is_online: boolean;
  last_seen: Date | null;
}

interface ProfileFields extends UserFields {
  created_at: Date;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
}

/** `{id, username, is_online, last_seen}`: the user as other services and the login answer show it. */
export function publicUser(u: UserFields): PublicUser {
  return { id: u.id, username: u.username, is_online: u.is_online, last_seen: toIso(u.last_seen) };
}

/** The profile, own or public: the same fields (nothing in it is private). */
export function profile(u: ProfileFields) {
  return {
    ...publicUser(u),
    created_at: u.created_at.toISOString(),
    display_name: u.display_name,
    bio: u.bio,
    avatar_url: u.avatar_url,
  };
}

/** The body of `user.<id>.presence`: the user's state across every gateway. */
export function userPresence(u: UserFields): UserPresenceEvent {
  return { user_id: u.id, username: u.username, is_online: u.is_online, last_seen: toIso(u.last_seen) };
}
