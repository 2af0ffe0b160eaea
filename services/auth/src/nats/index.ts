import { authBlocksCreate, authBlocksList, authKeysGet, authUsersGet, gatewayHeartbeat as heartbeatSchema, presenceEvent, type Subjects } from '@chatroulette/contracts';
import type { NatsHandlers } from '@chatroulette/nats';
import type { AuthContext } from '../context.js';
import { pairsOfUser, setBlock } from '../use-cases/blocks.js';
import { gatewayHeartbeat } from './gateway-heartbeat.js';
import { gatewayPresenceEvent } from './gateway-presence-event.js';
import { keysGet } from './keys-get.js';
import { usersGet } from './users-get.js';

/** What auth answers and consumes on NATS, all in the auth queue group (instances share the work). */
export function mountNatsHandlers(handlers: NatsHandlers, ctx: AuthContext, subjects: Subjects): void {
  handlers.reply(subjects.authKeysGet, authKeysGet, keysGet(ctx));
  handlers.reply(subjects.authUsersGet, authUsersGet, usersGet(ctx));
  handlers.reply(subjects.authBlocksList, authBlocksList, (r) => pairsOfUser(ctx, r.user_id));
  // A report in roulette blocks the reported user for the reporter: auth, the owner, makes the block.
  handlers.reply(subjects.authBlocksCreate, authBlocksCreate, (r) => setBlock(ctx, r.blocker_id, r.blocked_id, true));
  handlers.consume(subjects.allPresence, presenceEvent, gatewayPresenceEvent(ctx));
  handlers.consume(subjects.gatewayHeartbeat, heartbeatSchema, gatewayHeartbeat(ctx));
}
