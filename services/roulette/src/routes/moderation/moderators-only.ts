import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { assertModerator } from '../../domain/moderation.js';

/** After requireAuth: 403 unless the token's username is one of MODERATOR_USERNAMES. */
export function moderatorsOnly(moderators: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    assertModerator(moderators, currentUser(req).username);
    next();
  };
}
