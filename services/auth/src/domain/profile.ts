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

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
