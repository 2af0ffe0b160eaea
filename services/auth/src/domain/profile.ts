import { z } from 'zod';

/** Profile fields beyond the contract's user; each nullable, an empty string clears it. */
const profileLimits = { displayName: 64, bio: 500, avatarUrl: 2048 } as const;

// No control characters except newlines and tabs in the bio.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_CONTROL = /[\u0000-\u001f\u007f]/;

const emptyToNull = (v: string | null) => (v === null || v.trim() === '' ? null : v);

const displayName = z
  .string()
  .max(profileLimits.displayName, `must be at most ${profileLimits.displayName} characters`)
  .refine((v) => !LINE_CONTROL.test(v), 'must not contain control characters')
  .nullable()
  .transform(emptyToNull);

const bio = z
  .string()
  .max(profileLimits.bio, `must be at most ${profileLimits.bio} characters`)
  .refine((v) => !CONTROL.test(v), 'must not contain control characters')
  .nullable()
  .transform(emptyToNull);

const avatarUrl = z
  .string()
  .max(profileLimits.avatarUrl, `must be at most ${profileLimits.avatarUrl} characters`)
  .refine((v) => v === '' || isHttpUrl(v), 'must be an http or https URL')
  .nullable()
  .transform(emptyToNull);

/**
 * PUT /auth/profile: only these fields are editable (username and password are not, to keep the
 * token's `username` claim true). Unknown fields are refused, so a typo is not silently ignored.
 */
export const profileUpdate = z.strictObject({
  display_name: displayName.optional(),
  bio: bio.optional(),
  avatar_url: avatarUrl.optional(),
});
export type ProfileUpdate = z.infer<typeof profileUpdate>;

/** A real calendar date, YYYY-MM-DD, from 1900 to today (UTC). */
const birthday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real date')
  .refine((v) => v >= '1900-01-01' && v <= new Date().toISOString().slice(0, 10), 'must be between 1900-01-01 and today')
  .nullable();

/**
 * PUT /api/v1/profile (the original's): ours, plus `profile_photo` (its name for `avatar_url`), a
 * birthday and the public profile's settings. Edited by the same use case; its answer adds them back.
 */
export const legacyProfileUpdate = profileUpdate
  .extend({
    profile_photo: avatarUrl.optional(),
    birthday: birthday.optional(),
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

function isCalendarDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
