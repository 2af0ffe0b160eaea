import type { Msg, NatsConnection, Subscription } from 'nats';
import { gatewayHeartbeat, parsePresenceSubject, presenceEvent, queueGroups, type Subjects } from '@chatroulette/contracts';
import { decodeJson } from '@chatroulette/nats';
import type { AuthContext } from '../context.js';
import { applyPresence, recordHeartbeat } from '../db/queries/presence.js';
import { withDeadlockRetry } from './retry.js';

/**
 * Presence from the gateways: `presence.<user_id>.<online|offline>` on a user's first open and last
 * close of sockets on one gateway, and each gateway's heartbeat. Malformed messages are logged and dropped.
 */
export function listenPresence(ctx: AuthContext, nc: NatsConnection, subjects: Subjects): Subscription[] {
  const presence = nc.subscribe(subjects.allPresence, {
    queue: queueGroups.auth,
    callback: (err, msg) => {
      if (err) return ctx.log.error({ err }, 'presence subscription failed');
      void onPresence(ctx, msg);
    },
  });
  const heartbeat = nc.subscribe(subjects.gatewayHeartbeat, {
    queue: queueGroups.auth,
    callback: (err, msg) => {
      if (err) return ctx.log.error({ err }, 'heartbeat subscription failed');
      void onHeartbeat(ctx, msg);
    },
  });
  return [presence, heartbeat];
}

async function onPresence(ctx: AuthContext, msg: Msg): Promise<void> {
  const target = parsePresenceSubject(msg.subject);
  const body = presenceEvent.safeParse(safeJson(msg.data));
  const at = body.success ? new Date(body.data.at) : null;
  if (!target || !body.success || !at || Number.isNaN(at.getTime()) || body.data.user_id !== target.userId) {
    ctx.log.warn({ subject: msg.subject }, 'malformed presence event ignored');
    return;
  }
  const event = { userId: target.userId, gatewayId: body.data.gateway_id, online: target.state === 'online', at };
  try {
    const result = await withDeadlockRetry(() => applyPresence(ctx.db, event));
    if (result === 'unknown_user') ctx.log.debug({ userId: event.userId }, 'presence of an unknown user ignored');
    else ctx.log.debug({ ...event, result }, 'presence event');
  } catch (err) {
    ctx.log.error({ err, userId: event.userId, gatewayId: event.gatewayId }, 'presence event not recorded');
  }
}

async function onHeartbeat(ctx: AuthContext, msg: Msg): Promise<void> {
  const body = gatewayHeartbeat.safeParse(safeJson(msg.data));
  if (!body.success) {
    ctx.log.warn({ subject: msg.subject }, 'malformed gateway heartbeat ignored');
    return;
  }
  try {
    await recordHeartbeat(ctx.db, body.data.gateway_id, body.data.interval_ms);
  } catch (err) {
    ctx.log.error({ err, gatewayId: body.data.gateway_id }, 'gateway heartbeat not recorded');
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
