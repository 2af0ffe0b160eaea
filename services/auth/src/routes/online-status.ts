import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import { ownProfile } from '../use-cases/own-profile.js';
import type { AuthContext } from '../context.js';
import { onlineStatus } from '../domain/views.js';

/**
 * POST /api/v1/profile/online (the original's) -> 200 {is_online, last_seen, status_text}. Its body
 * `{is_online}` is ignored: presence comes from the sockets, so a client cannot claim to be online.
 */
export const onlineStatusRoute =
  (ctx: AuthContext): RequestHandler =>
  async (req, res) => {
    res.json(onlineStatus(await ownProfile(ctx, currentUser(req).userId)));
  };
