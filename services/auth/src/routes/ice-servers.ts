import type { RequestHandler } from 'express';
import { currentUser } from '@chatroulette/http';
import type { AuthContext } from '../context.js';
import { iceServers } from '../domain/ice-servers.js';

/** GET /api/v1/rtc/ice-servers -> 200 {ice_servers, ttl}: STUN, and TURN with the caller's own time-limited credential. */
export const iceServersRoute =
  (ctx: AuthContext): RequestHandler =>
  (req, res) => {
    // A credential: no cache may keep it for another user or past its time.
    res.set('Cache-Control', 'no-store').json(iceServers(ctx.cfg.ice, currentUser(req).userId, Date.now()));
  };
