import { z } from 'zod';
import { isoTime, uuid } from '../../ids.js';
import { publicUser } from '../../requests.js';
import { birthday, httpUrl, noControl, noLineControl } from './text.js';

/** 3 to 32 of ASCII letters, digits, `_`, `.`, `-` (ASCII only: no look-alike letters from other scripts). */
const username = z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3 to 32 letters, digits, "_", "." or "-"');
const password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

/** POST /auth/register (and the original's /register). */
export const registerBody = z.object({ username, password });
export type RegisterBody = z.infer<typeof registerBody>;

/**
 * POST /auth/login. Only types are checked: a badly formed username or password simply matches
 * nobody, and gets the same 401 as a wrong password. The length caps keep hashing cheap.
 */
export const loginBody = z.object({ username: z.string().max(256), password: z.string().max(1024) });

/** PUT /auth/password: the new password follows the registration rules (400); the current one is only compared. */
export const passwordChangeBody = z.object({ current_password: z.string().max(1024), new_password: password });

/** Profile fields beyond the contract's user; each nullable, an empty string clears it. */
const profileLimits = { displayName: 64, bio: 500, avatarUrl: 2048 } as const;
const emptyToNull = (v: string | null) => (v === null || v.trim() === '' ? null : v);

const displayName = z
  .string()
  .max(profileLimits.displayName, `must be at most ${profileLimits.displayName} characters`)
  .refine(noLineControl, 'must not contain control characters')
  .nullable()
  .transform(emptyToNull);

const bio = z
  .string()
  .max(profileLimits.bio, `must be at most ${profileLimits.bio} characters`)
  .refine(noControl, 'must not contain control characters')
  .nullable()
  .transform(emptyToNull);

const avatarUrl = z
  .string()
  .max(profileLimits.avatarUrl, `must be at most ${profileLimits.avatarUrl} characters`)
  .refine((v) => v === '' || httpUrl(v), 'must be an http or https URL')
  .nullable()
  .transform(emptyToNull);

/**
 * PUT /auth/profile: only these fields are editable (username and password are not, to keep the
 * token's `username` claim true). Unknown fields are refused, so a typo is not silently ignored.
 */
export const profileUpdate = z
  .strictObject({
    display_name: displayName.optional(),
    bio: bio.optional(),
    avatar_url: avatarUrl.optional(),
  });
export type ProfileUpdate = z.infer<typeof profileUpdate>;

/**
 * PUT /api/v1/profile (the original's): ours, plus `profile_photo` (its name for `avatar_url`), a
 * birthday and the public profile's settings. Edited by the same use case; its answer adds them back.
 */
export const legacyProfileUpdate = profileUpdate
  .extend({
    profile_photo: avatarUrl.optional(),
    birthday: birthday.nullable().optional(),
    show_username: z.boolean().optional(),
    show_birthday: z.boolean().optional(),
    show_online_status: z.boolean().optional(),
  })
  .refine((b) => b.profile_photo === undefined || b.avatar_url === undefined || b.profile_photo === b.avatar_url, {
    message: 'profile_photo and avatar_url name the same field; give one',
    path: ['profile_photo'],
  })
  .transform(({ profile_photo, ...rest }) => (profile_photo === undefined ? rest : { ...rest, avatar_url: profile_photo }));
export type LegacyProfileUpdate = z.infer<typeof legacyProfileUpdate>;

/** POST /api/v1/profile/online (the original's): what its clients send; not read (presence comes from the sockets). */
export const onlineStatusBody = z.object({ is_online: z.boolean() }).meta({ description: 'Ignored: a client cannot claim to be online' });

/** 201 of register: the new user and a token. */
export const registered = z.object({
  user: z.object({ id: uuid, username: z.string(), created_at: isoTime }),
  token: z.string().meta({ description: 'A JWT (ES256) for `Authorization: Bearer`' }),
});
export type Registered = z.infer<typeof registered>;

/** 200 of login. */
export const loggedIn = z.object({ user: publicUser, token: z.string() });
export type LoggedIn = z.infer<typeof loggedIn>;

/** 200 of refresh and of a password change: a fresh token for the caller. */
export const freshToken = z.object({ token: z.string(), expires_at: isoTime }).meta({ id: 'FreshToken' });
export type FreshToken = z.infer<typeof freshToken>;

/** The own profile on our routes (GET/PUT /auth/profile): the contract's user and the editable fields. */
export const profile = publicUser
  .extend({
    created_at: isoTime,
    display_name: z.string().nullable(),
    bio: z.string().nullable(),
    avatar_url: z.string().nullable(),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof profile>;

/** The own profile on the original's routes (GET/PUT /api/v1/profile): ours plus its names and settings. */
export const legacyProfile = profile
  .extend({
    profile_photo: z.string().nullable(),
    birthday: z.string().nullable(),
    show_username: z.boolean(),
    show_birthday: z.boolean(),
    show_online_status: z.boolean(),
  })
  .meta({ id: 'LegacyProfile' });
export type LegacyProfile = z.infer<typeof legacyProfile>;

/** Another user's profile: the fields its owner hides (username, online status, birthday) are left out. */
export const publicProfile = profile
  .partial({ username: true, is_online: true, last_seen: true })
  .extend({ birthday: z.string().optional() })
  .meta({ id: 'PublicProfile' });
export type PublicProfile = z.infer<typeof publicProfile>;

/** 200 of POST /api/v1/profile/online. */
export const onlineStatus = z.object({ is_online: z.boolean(), last_seen: isoTime.nullable(), status_text: z.enum(['online', 'offline']) });
export type OnlineStatus = z.infer<typeof onlineStatus>;

/** One STUN or TURN entry of an RTCPeerConnection's iceServers; TURN ones with a time-limited credential. */
const iceServer = z.object({
  urls: z.array(z.string()).min(1),
  username: z.string().optional().meta({ description: 'TURN: `<unix expiry>:<user_id>` (the TURN REST scheme coturn\'s use-auth-secret checks)' }),
  credential: z.string().optional().meta({ description: 'TURN: base64 of HMAC-SHA1(TURN_SECRET, username)' }),
});
export type IceServer = z.infer<typeof iceServer>;

/** GET /api/v1/rtc/ice-servers. */
export const iceServers = z.object({
  ice_servers: z.array(iceServer),
  ttl: z.number().int().positive().meta({ description: 'Seconds the TURN credentials are valid (TURN_TTL_SECONDS)' }),
});
export type IceServers = z.infer<typeof iceServers>;
