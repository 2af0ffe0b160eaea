import type { GatewayHeartbeat } from '@chatroulette/contracts';
import type { AuthContext } from '../context.js';
import { recordHeartbeat } from '../db/queries/presence.js';

/** `gateway.heartbeat`: a gateway is alive; one silent for 3 intervals loses the presence it recorded. */
export const gatewayHeartbeat =
  (ctx: AuthContext) =>
  async (body: GatewayHeartbeat): Promise<void> => {
    await recordHeartbeat(ctx.db, body.gateway_id, body.interval_ms);
  };
