import { AppError, conflict, unauthorized } from '@chatroulette/errors';

/** The key of case-insensitive uniqueness. */
export const usernameKey = (name: string) => name.toLowerCase();

export const usernameTaken = () => conflict('Username is already taken');
/** One answer for an unknown user and a wrong password, so a caller cannot probe usernames. */
export const badCredentials = () => unauthorized('Invalid username or password');
export const wrongPassword = () => unauthorized('Current password is wrong');
export const userGone = () => new AppError('unauthorized', 'User no longer exists');
