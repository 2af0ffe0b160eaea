import { toIso, type LegacyProfile, type OnlineStatus, type Profile, type PublicProfile, type PublicUser, type UserPresenceEvent } from '@chatroulette/contracts';

interface UserFields {
  id: string;
  username: string;
  is_online: boolean;
  last_seen: Date | null;
}

export interface ProfileFields extends UserFields {
  created_at: Date;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  show_username: boolean;
  show_birthday: boolean;
  show_online_status: boolean;
}

/** `{id, username, is_online, last_seen}`: the user as other services and the login answer show it. */
export function publicUser(u: UserFields): PublicUser {
  return { id: u.id, username: u.username, is_online: u.is_online, last_seen: toIso(u.last_seen) };
}

/** The own profile on our routes (GET/PUT /auth/profile): the contract's user and the editable fields. */
export function profile(u: ProfileFields): Profile {
  return {
    ...publicUser(u),
    created_at: u.created_at.toISOString(),
    display_name: u.display_name,
    bio: u.bio,
    avatar_url: u.avatar_url,
  };
}

/** The own profile on the original's routes (GET/PUT /api/v1/profile): ours plus its names and settings. */
export function legacyProfile(u: ProfileFields): LegacyProfile {
  return {
    ...profile(u),
    profile_photo: u.avatar_url,
    birthday: u.birthday,
    show_username: u.show_username,
    show_birthday: u.show_birthday,
    show_online_status: u.show_online_status,
  };
}

/**
 * Another user's profile: the profile's fields, minus those its owner hides (the username, the
 * online status and last seen; the birthday unless shown).
 */
export function publicProfileView(u: ProfileFields): PublicProfile {
  const { username, is_online, last_seen, ...rest } = profile(u);
  return {
    ...(u.show_username ? { username } : {}),
    ...(u.show_online_status ? { is_online, last_seen } : {}),
    ...rest,
    ...(u.show_birthday && u.birthday !== null ? { birthday: u.birthday } : {}),
  };
}

/** POST /api/v1/profile/online: presence as the sockets made it (the original let clients set it). */
export function onlineStatus(u: UserFields): OnlineStatus {
  return { is_online: u.is_online, last_seen: toIso(u.last_seen), status_text: u.is_online ? 'online' : 'offline' };
}

/** The body of `user.<id>.presence`: the user's state across every gateway. */
export function userPresence(u: UserFields): UserPresenceEvent {
  return { user_id: u.id, username: u.username, is_online: u.is_online, last_seen: toIso(u.last_seen) };
}
