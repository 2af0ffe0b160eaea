import { z } from 'zod';
import { AppError, conflict, unauthorized } from '@chatroulette/errors';

/** 3 to 32 of ASCII letters, digits, `_`, `.`, `-` (ASCII only: no look-alike letters from other scripts). */
const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

const username = z.string().regex(USERNAME, 'must be 3 to 32 letters, digits, "_", "." or "-"');
const password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

export const registerBody = z.object({ username, password });
/** The new password follows the registration rules (400); the current one is only compared. */
export const passwordChangeBody = z.object({ current_password: z.string().max(1024), new_password: password });
export type RegisterBody = z.infer<typeof registerBody>;

/**
 * Login only checks types: a badly formed username or password simply does not match anybody,
 * and gets the same 401 as a wrong password. The length cap keeps hashing cheap.
 */
export const loginBody = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
});

/** The key of case-insensitive uniqueness. */
export const usernameKey = (name: string) => name.toLowerCase();

export const usernameTaken = () => conflict('Username is already taken');
/** One answer for an unknown user and a wrong password, so a caller cannot probe usernames. */
export const badCredentials = () => unauthorized('Invalid username or password');
export const wrongPassword = () => unauthorized('Current password is wrong');
export const userGone = () => new AppError('unauthorized', 'User no longer exists');
