import type { Msg } from 'nats';
import { parsePresenceSubject, type PresenceEvent } from '@chatroulette/contracts';
import type { AuthContext } from '../context.js';
import { recordPresence } from '../use-cases/record-presence.js';

/**
 * `presence.<user_id>.<online|offline>` from a gateway, on a user's first open and last close of
 * sockets there. The body must name the subject's user and a valid time; otherwise it is dropped.
 */
export const gatewayPresenceEvent =
  (ctx: AuthContext) =>
  async (body: PresenceEvent, msg: Msg): Promise<void> => {
    const target = parsePresenceSubject(msg.subject);
    const at = new Date(body.at);
    if (!target || Number.isNaN(at.getTime()) || body.user_id !== target.userId) {
      ctx.log.warn({ subject: msg.subject }, 'malformed presence event ignored');
      return;
    }
    await recordPresence(ctx, { userId: target.userId, gatewayId: body.gateway_id, online: target.state === 'online', at });
  };
