import { AppError, forbidden } from '@chatroulette/errors';

/** What a suspended user's search and find answer: 403 `suspended` with the end of the suspension. */
export function suspendedError(until: Date): AppError {
  return new AppError('suspended', `Suspended from the roulette until ${until.toISOString()}`, {
    details: { suspended_until: until.toISOString() },
  });
}

/** Only the users named in MODERATOR_USERNAMES moderate (their token's username, without regard to case). */
export function assertModerator(moderators: ReadonlySet<string>, username: string): void {
  if (!moderators.has(username.toLowerCase())) throw forbidden('Only moderators may do this');
}

/** At most this many reports in one listing, the newest first. */
export const REPORTS_PAGE = 200;
